import type { BenchQuestion } from './benchQuestion';

// Questions a developer new to ajv (or to the OpenAI Node SDK, for the large-repo ones) would ask. Answers were
// written from the tool results on the benchmark repositories (ajv 8.20.0's lib/ with the recreated history of
// benchRepo.ts; the SDK's src/ with its release history replayed by largeRepo.ts). The external ones call the issue
// tracker and documentation search that test/support/mcpServers/serviceStandIns.ts stands in for, or meet the
// symbol tools cold on the SDK.

const TS = 'lib/**/*.ts';

export const BENCH_QUESTIONS: BenchQuestion[] = [
  {
    id: 'limits',
    kind: 'fan-out',
    question:
      'How do the limit keywords (maximum/minimum, maxLength/minLength, maxItems/minItems, maxProperties/minProperties, maxContains/minContains) differ in the checks they generate?',
    calls: [
      { tool: 'read_file', args: '"lib/vocabularies/validation/limitNumber.ts"', why: 'maximum and minimum should be implemented in limitNumber.ts under validation; I will read that first.' },
      { tool: 'read_file', args: '"lib/vocabularies/validation/limitLength.ts"', why: 'That covers the numeric limits. Next I need maxLength and minLength, which should be in limitLength.ts.' },
      { tool: 'read_file', args: '"lib/vocabularies/validation/limitItems.ts"', why: 'Now the array length limits, maxItems and minItems, in limitItems.ts.' },
      { tool: 'read_file', args: '"lib/vocabularies/validation/limitProperties.ts"', why: 'Next the object limits, maxProperties and minProperties, in limitProperties.ts.' },
      { tool: 'read_file', args: '"lib/vocabularies/validation/limitContains.ts"', why: 'Only maxContains and minContains are left; they should be in limitContains.ts.' },
    ],
    conclusion: 'The five files show every generated check.',
    answer: [
      'All except the contains pair compare the data with the schema value through `cxt.fail$data`, so each also accepts `$data`:',
      '- **maximum/minimum** (and the exclusive forms) share one table of operators: fails on `data > limit` etc. **or `isNaN(data)`** (lib/vocabularies/validation/limitNumber.ts:11, :38).',
      '- **maxLength/minLength** count characters with `ucs2length`, so a surrogate pair is one character, unless `unicode: false` uses `.length` (lib/vocabularies/validation/limitLength.ts:25).',
      '- **maxItems/minItems** compare `data.length` (lib/vocabularies/validation/limitItems.ts:22).',
      '- **maxProperties/minProperties** compare `Object.keys(data).length` (lib/vocabularies/validation/limitProperties.ts:22).',
      '- **maxContains/minContains** generate no check at all: without `contains` beside them they only report, through `checkStrictMode`, that they are ignored (lib/vocabularies/validation/limitContains.ts:11).',
    ].join('\n'),
  },
  {
    id: 'combinators',
    kind: 'fan-out',
    question: 'How do allOf, anyOf, oneOf, not and if/then/else validate their subschemas?',
    calls: [
      { tool: 'read_file', args: '"lib/vocabularies/applicator/allOf.ts"', why: 'The combinators are applicator keywords; I will start by reading allOf.ts.' },
      { tool: 'read_file', args: '"lib/vocabularies/applicator/anyOf.ts"', why: 'allOf is clear. Now I need anyOf, in anyOf.ts.' },
      { tool: 'read_file', args: '"lib/vocabularies/applicator/oneOf.ts"', why: 'Next oneOf, which must also track how many subschemas passed; it is in oneOf.ts.' },
      { tool: 'read_file', args: '"lib/vocabularies/applicator/not.ts"', why: 'Now the not keyword, in not.ts.' },
      { tool: 'read_file', args: '"lib/vocabularies/applicator/if.ts"', why: 'Last keyword: if/then/else, implemented in if.ts.' },
      { tool: 'definition', args: '"validateUnion"', why: 'anyOf.ts only points to validateUnion, so I need to find where validateUnion is defined.' },
    ],
    conclusion: 'The keyword files and validateUnion explain all five.',
    answer: [
      '- **allOf** validates each subschema in turn, skipping always-valid ones, and stops at the first failure (lib/vocabularies/applicator/allOf.ts:13-18).',
      '- **anyOf** leaves its code to `validateUnion` (lib/vocabularies/applicator/anyOf.ts:10), defined in lib/vocabularies/code.ts:135, and fails with "must match a schema in anyOf" (lib/vocabularies/applicator/anyOf.ts:11).',
      '- **oneOf** tries every subschema and records the passing indices; a second pass sets `valid = false` and reports `passingSchemas: [i, j]` (lib/vocabularies/applicator/oneOf.ts:48-77).',
      '- **not** validates its subschema with errors turned off and fails when it passes (lib/vocabularies/applicator/not.ts:18-33).',
      '- **if** validates the `if` schema without errors, then applies `then` or `else` to the result and reports which clause failed; without then/else it only warns in strict mode (lib/vocabularies/applicator/if.ts:26-48).',
    ].join('\n'),
  },
  {
    id: 'recent',
    kind: 'fan-out',
    question:
      'Which of these files changed most recently: lib/core.ts, lib/compile/index.ts, lib/vocabularies/validation/pattern.ts, lib/jtd.ts, lib/standalone/index.ts, lib/2020.ts?',
    calls: [
      { tool: 'git_log', args: '"lib/core.ts", max_count=1', why: 'I will check the newest commit of each file, starting with lib/core.ts.' },
      { tool: 'git_log', args: '"lib/compile/index.ts", max_count=1', why: 'Now the newest commit of lib/compile/index.ts.' },
      { tool: 'git_log', args: '"lib/vocabularies/validation/pattern.ts", max_count=1', why: 'Next the newest commit of lib/vocabularies/validation/pattern.ts.' },
      { tool: 'git_log', args: '"lib/jtd.ts", max_count=1', why: 'Next the newest commit of lib/jtd.ts.' },
      { tool: 'git_log', args: '"lib/standalone/index.ts", max_count=1', why: 'Next the newest commit of lib/standalone/index.ts.' },
      { tool: 'git_log', args: '"lib/2020.ts", max_count=1', why: 'Finally the newest commit of lib/2020.ts, then I can compare the dates.' },
    ],
    conclusion: 'Each log gives the newest commit of its file.',
    answer: [
      '**lib/standalone/index.ts** changed most recently: dd4315e "Standalone validation code" by Petra Novak, 2024-04-02.',
      'The others, newest first: lib/jtd.ts 2024-03-18 (9cd9ed7), lib/2020.ts 2024-03-04 (b27551d), lib/vocabularies/validation/pattern.ts 2024-02-05 (3a3340a), lib/core.ts 2024-01-22 (d353891), lib/compile/index.ts 2024-01-15 (eb1e08d).',
    ].join('\n'),
  },
  {
    id: 'dynamic-code',
    kind: 'fan-out',
    question:
      'Where does ajv turn strings into code (new Function) or regular expressions (new RegExp), where does it call JSON.parse, and where does it log warnings and errors?',
    calls: [
      { tool: 'grep', args: `"new Function", glob="${TS}"`, why: 'First I will search the sources for new Function, which turns generated code into functions.' },
      { tool: 'grep', args: `"new RegExp", glob="${TS}"`, why: 'Now the places that build regular expressions with new RegExp.' },
      { tool: 'grep', args: `"JSON.parse", glob="${TS}"`, why: 'Next, where JSON.parse is called.' },
      { tool: 'grep', args: `"logger.warn", glob="${TS}"`, why: 'Now the warnings ajv logs, through logger.warn.' },
      { tool: 'grep', args: `"logger.error", glob="${TS}"`, why: 'Last, the errors it logs, through logger.error.' },
    ],
    conclusion: 'The searches list every site.',
    answer: [
      '- **new Function** compiles generated code in three places: validators (lib/compile/index.ts:171), JTD parsers (lib/compile/jtd/parse.ts:69) and serializers (lib/compile/jtd/serialize.ts:65).',
      '- **new RegExp**: the default `code.regExp` engine (lib/core.ts:68), string formats (lib/core.ts:650), `patternProperties` at compile time (lib/vocabularies/applicator/patternProperties.ts:53), and generated code for `pattern` (lib/vocabularies/code.ts:93, lib/vocabularies/validation/pattern.ts:25).',
      '- **JSON.parse** only in the JTD runtime parser (lib/runtime/parseJson.ts:10, :22) and to clone a meta-schema (lib/core.ts:667).',
      '- **Warnings** go through `logger.warn`: strict mode (lib/compile/util.ts:212), ignored `$ref` siblings (lib/compile/validate/index.ts:167), unknown formats (lib/vocabularies/format/format.ts:84) and deprecations in lib/core.ts.',
      '- **Errors** through `logger.error`: failed compilations print the generated code (lib/compile/index.ts:197, lib/compile/jtd/parse.ts:74, lib/compile/jtd/serialize.ts:70) and invalid schemas with `validateSchema: "log"` (lib/core.ts:523).',
    ].join('\n'),
  },
  {
    id: 'definitions',
    kind: 'fan-out',
    question: 'Where are compileSchema, getSchemaRefs, usePattern and getRules defined, and what does each do?',
    calls: [
      { tool: 'definition', args: '"compileSchema"', why: 'I will find each definition in turn, starting with compileSchema.' },
      { tool: 'definition', args: '"getSchemaRefs"', why: 'Next, where getSchemaRefs is defined.' },
      { tool: 'definition', args: '"usePattern"', why: 'Next, where usePattern is defined.' },
      { tool: 'definition', args: '"getRules"', why: 'Next, where getRules is defined.' },
      { tool: 'read_file', args: '$1', why: 'compileSchema is in lib/compile/index.ts; I will read that file to see what it does.' },
      { tool: 'read_file', args: '$2', why: 'getSchemaRefs is in lib/compile/resolve.ts; reading it.' },
      { tool: 'read_file', args: '$3', why: 'usePattern is in lib/vocabularies/code.ts; reading it.' },
      { tool: 'read_file', args: '$4', why: 'Last, getRules in lib/compile/rules.ts.' },
    ],
    conclusion: 'The definitions and their files answer all four.',
    answer: [
      '- **compileSchema** (lib/compile/index.ts:111) compiles the schema of a `SchemaEnv` (the comment above it says so) and returns the env: it returns the schema already being compiled, if any, then builds a `CodeGen` (lib/compile/index.ts:113-118); the read stops at line 126, before the rest.',
      '- **getSchemaRefs** (lib/compile/resolve.ts:93) walks a schema and collects its `$id`s and anchors into local refs, resolving each against its base id and throwing when one reference resolves to two different schemas.',
      '- **usePattern** (lib/vocabularies/code.ts:95) compiles a `pattern` once with the configured RegExp engine (`u` flag with `unicodeRegExp`) and stores it as a scope value that generated code refers to.',
      '- **getRules** (lib/compile/rules.ts:36) returns the empty rule registry: one group per JSON type (number, string, array, object) plus the `post` rules, filled as keywords are added.',
    ].join('\n'),
  },
  {
    id: 'outlines',
    kind: 'fan-out',
    question:
      'Give me the shape of the compiler: the main classes and functions of lib/core.ts, lib/compile/index.ts, lib/compile/validate/index.ts, lib/compile/codegen/index.ts and lib/compile/resolve.ts.',
    calls: [
      { tool: 'outline', args: '"lib/core.ts"', why: 'An outline of each file shows its classes and functions; I will start with lib/core.ts.' },
      { tool: 'outline', args: '"lib/compile/index.ts"', why: 'Next the outline of lib/compile/index.ts.' },
      { tool: 'outline', args: '"lib/compile/validate/index.ts"', why: 'Next lib/compile/validate/index.ts.' },
      { tool: 'outline', args: '"lib/compile/codegen/index.ts"', why: 'Next the code generator, lib/compile/codegen/index.ts.' },
      { tool: 'outline', args: '"lib/compile/resolve.ts"', why: 'Last, reference resolution in lib/compile/resolve.ts.' },
    ],
    conclusion: 'The outlines show each module.',
    answer: [
      '- **lib/core.ts**: its options (`CurrentOptions`, `CodeOptions`, deprecated and removed ones) and the `Ajv` class (lib/core.ts:276-754) with its state (`schemas`, `refs`, `formats`, `RULES`, a `_cache`) and constructor; the outline is cut before its methods.',
      '- **lib/compile/index.ts**: `SchemaEnv` (one compiled schema and its refs) and `compileSchema` (lib/compile/index.ts:111), plus `resolveRef`/`resolveSchema` for `$ref`.',
      '- **lib/compile/validate/index.ts**: `validateFunctionCode` (lib/compile/validate/index.ts:38), which writes the validate function, and `KeywordCxt`, the context every keyword generates code through.',
      '- **lib/compile/codegen/index.ts**: `CodeGen` (lib/compile/codegen/index.ts:454-780), the builder of the generated JavaScript, over a node class per construct (`If`, `ForLoop`, `ForRange`, `Try`, `Func`, `Return` and more).',
      '- **lib/compile/resolve.ts**: URL and id helpers (`normalizeId`, `resolveUrl`, `getFullPath`), `inlineRef` and `getSchemaRefs` (lib/compile/resolve.ts:93).',
    ].join('\n'),
  },
  {
    id: 'unique-items',
    kind: 'sequential',
    question: 'How does ajv implement the uniqueItems keyword?',
    calls: [
      { tool: 'grep', args: `"keyword: \\"uniqueItems\\"", glob="${TS}"`, why: 'Keyword definitions declare their name, so I will search for the uniqueItems keyword definition.' },
      { tool: 'read_file', args: '$1', why: 'It is in lib/vocabularies/validation/uniqueItems.ts; I will read the file.' },
    ],
    conclusion: 'The file shows both strategies.',
    answer: [
      'uniqueItems lives in lib/vocabularies/validation/uniqueItems.ts:21 and picks one of two loops at compile time:',
      '- when `items` declares only scalar types, a single pass keys each item into an object of indices: O(n) (lib/vocabularies/validation/uniqueItems.ts:46);',
      '- otherwise a nested loop compares every pair with the deep `equal` runtime function: O(n²) (lib/vocabularies/validation/uniqueItems.ts:64).',
      'The error reports the two identical indices `i` and `j` (lib/vocabularies/validation/uniqueItems.ts:16).',
    ].join('\n'),
  },
  {
    id: 'missing-ref',
    kind: 'sequential',
    question: 'What does the error thrown for an unresolvable $ref contain?',
    calls: [
      { tool: 'grep', args: `"class MissingRefError", glob="${TS}"`, why: 'The error for an unresolved reference should be MissingRefError; I will search for its class.' },
      { tool: 'read_file', args: '$1', why: 'It is in lib/compile/ref_error.ts; reading it.' },
    ],
    conclusion: 'The class shows its fields.',
    answer:
      '`MissingRefError` (lib/compile/ref_error.ts:4) extends `Error` with the message "can\'t resolve reference <ref> from id <baseId>" and two fields: `missingRef`, the reference resolved against the base id, and `missingSchema`, that URL without its fragment: the schema to add before compiling again (lib/compile/ref_error.ts:10-11).',
  },
  {
    id: 'strict-tuples',
    kind: 'sequential',
    question: 'What happens when a tuple schema is incomplete and the strictTuples option is on?',
    calls: [
      { tool: 'grep', args: `"if (opts.strictTuples", glob="${TS}"`, why: 'I need the code that checks the strictTuples option.' },
      { tool: 'read_file', args: '$1', why: 'The check is in lib/vocabularies/applicator/items.ts; I will read that file.' },
    ],
    conclusion: 'The tuple check and its message are in the file.',
    answer:
      'In `validateTuple`, a tuple counts as full only when `minItems` equals its length and so does `maxItems`, or the extra-items keyword is `false` (lib/vocabularies/applicator/items.ts:51). Otherwise, with strictTuples on, it hands `checkStrictMode` the message `"items" is N-tuple, but minItems or maxItems/additionalItems are not specified or different at path "<path>"` and the option\'s value (lib/vocabularies/applicator/items.ts:52-54).',
  },
  {
    id: 'standalone-history',
    kind: 'sequential',
    question: 'Who wrote the module that generates standalone validation code, and when?',
    calls: [
      { tool: 'grep', args: `"function standaloneCode", glob="${TS}"`, why: 'The standalone code is generated by a function called standaloneCode; I will search for it.' },
      { tool: 'git_log', args: '$1, max_count=3', why: 'It is in lib/standalone/index.ts; now the git history of that file.' },
    ],
    conclusion: 'The log names the commit.',
    answer:
      '`standaloneCode` (lib/standalone/index.ts:7) came in with commit dd4315e "Standalone validation code" by Petra Novak on 2024-04-02, the only commit that touched the file.',
  },
  {
    id: 'schema-refs-chain',
    kind: 'multi-hop',
    question: 'Where is getSchemaRefs called from, and who last changed the line that calls it?',
    calls: [
      { tool: 'definition', args: '"getSchemaRefs"', why: 'First I need where getSchemaRefs is defined.' },
      { tool: 'read_file', args: '$1[0].path, start_line=$1[0].line', why: 'It is in lib/compile/resolve.ts at line 93; I will read the function.' },
      { tool: 'references', args: '"${1[0].path}:${1[0].line}"', why: 'Now the callers of that definition.' },
      { tool: 'git_blame', args: '$3[-1].path, start_line=$3[-1].line, end_line=$3[-1].line', why: 'It is called in lib/core.ts at line 718; I will blame that line.' },
    ],
    conclusion: 'The definition, its one caller and the blame of the calling line answer it.',
    answer: [
      '`getSchemaRefs` (lib/compile/resolve.ts:93) collects a schema\'s local `$id`s and anchors and has one caller, lib/core.ts, which passes its `Ajv` instance as `this` (lib/core.ts:718: `const localRefs = getSchemaRefs.call(this, schema, baseId)`); lib/core.ts:61 only imports it.',
      'That line was last changed by Sam Chen in d353891 "Core class and draft-07 entry point" on 2024-01-22.',
    ].join('\n'),
  },
  {
    id: 'use-pattern-chain',
    kind: 'multi-hop',
    question: 'Which keyword calls usePattern last in the sources, what does usePattern do, and which commit wrote that call?',
    calls: [
      { tool: 'definition', args: '"usePattern"', why: 'First, where usePattern is defined.' },
      { tool: 'read_file', args: '$1[0].path, start_line=$1[0].line', why: 'It is in lib/vocabularies/code.ts at line 95; reading it.' },
      { tool: 'references', args: '"${1[0].path}:${1[0].line}"', why: 'Now the places that call it.' },
      { tool: 'git_blame', args: '$3[-1].path, start_line=$3[-1].line, end_line=$3[-1].line', why: 'The last reference is the call to blame.' },
    ],
    conclusion: 'The definition, the references and the blame answer it.',
    answer: [
      '- **Last caller:** the `pattern` keyword, `const regExp = usePattern(cxt, schema)` (lib/vocabularies/validation/pattern.ts:33); `additionalProperties` (lib/vocabularies/applicator/additionalProperties.ts:63) and `patternProperties` (lib/vocabularies/applicator/patternProperties.ts:64) call it too.',
      '- **What it does:** compiles the pattern once with the configured RegExp engine (`u` flag when `unicodeRegExp` is on) and stores it as a scope value keyed by its source, so generated code refers to one shared regular expression (lib/vocabularies/code.ts:95-104).',
      '- **Commit:** 3a3340a "Validation keywords" by Sam Chen, 2024-02-05.',
    ].join('\n'),
  },
  {
    id: 'union-chain',
    kind: 'multi-hop',
    question: 'Where is validateUnion used, and what does the calling keyword file look like around the call, and who wrote that line?',
    calls: [
      { tool: 'definition', args: '"validateUnion"', why: 'First, where validateUnion is defined.' },
      { tool: 'references', args: '"${1[0].path}:${1[0].line}"', why: 'It is in lib/vocabularies/code.ts at line 135; now its callers.' },
      { tool: 'read_file', args: '$2[-1].path', why: 'It is used in anyOf.ts and, last, in lib/vocabularies/jtd/union.ts; reading the last caller, union.ts.' },
      { tool: 'git_blame', args: '$2[-1].path, start_line=$2[-1].line, end_line=$2[-1].line', why: 'And who wrote the calling line of union.ts, line 8.' },
    ],
    conclusion: 'The caller file and its blame answer it.',
    answer: [
      '`validateUnion` (lib/vocabularies/code.ts:135) is the `code` of two keywords: `anyOf` (lib/vocabularies/applicator/anyOf.ts:10) and JTD\'s `union` (lib/vocabularies/jtd/union.ts:8).',
      'lib/vocabularies/jtd/union.ts is a 12-line keyword definition: keyword `union`, schema type `array`, `trackErrors: true`, `code: validateUnion` and the error "must match a schema in union" (lib/vocabularies/jtd/union.ts:4-10).',
      'Line 8 was written by Sam Chen in 9cd9ed7 "JSON Type Definition" on 2024-03-18.',
    ].join('\n'),
  },
  {
    id: 'rules-origin',
    kind: 'deep',
    question: 'Where does Ajv get its rule registry from: where is getRules defined, where is it called, who wrote that call, and what else came in with that commit?',
    calls: [
      { tool: 'definition', args: '"getRules"', why: 'First, where getRules is defined.' },
      { tool: 'references', args: '"${1[0].path}:${1[0].line}"', why: 'It is in lib/compile/rules.ts at line 36; now the places that use it.' },
      { tool: 'git_blame', args: '$2[-1].path, start_line=$2[-1].line, end_line=$2[-1].line', why: 'It is called once, in lib/core.ts at line 303; I will blame that line.' },
      { tool: 'git_show', args: '$3[0].hash', why: 'The line came with commit d353891; now what that commit changed.' },
    ],
    conclusion: 'The definition, its caller, the blame and the commit answer it.',
    answer: [
      '`getRules` (lib/compile/rules.ts:36) is called once, in lib/core.ts: `this.RULES = getRules()` (lib/core.ts:303); lib/core.ts:58 only imports it.',
      'That line was written by Sam Chen in d353891 "Core class and draft-07 entry point" on 2024-01-22, which added the `Ajv` class itself (lib/core.ts, 892 lines), the draft-07 entry point lib/ajv.ts, lib/vocabularies/code.ts, lib/vocabularies/draft7.ts, lib/vocabularies/errors.ts and the draft-06, draft-07 and secure meta-schemas under lib/refs.',
    ].join('\n'),
  },
  {
    id: 'ref-error-chain',
    kind: 'deep',
    question: 'When the $ref keyword cannot resolve a reference, which error class does it throw, where else is that class thrown, who wrote the last of those throws, and what came in with that commit?',
    calls: [
      { tool: 'grep', args: '"throw new", glob="lib/vocabularies/core/ref.ts"', why: 'The $ref keyword is lib/vocabularies/core/ref.ts; I will find what it throws.' },
      { tool: 'definition', args: '"${1[0].path}:${1[0].line}"', why: 'Line 19 throws new MissingRefError; now the definitions of what that line names.' },
      { tool: 'references', args: '"${2[1].path}:${2[1].line}:${2[1].column}"', why: 'The class MissingRefError is in lib/compile/ref_error.ts at line 4; now every use of it.' },
      { tool: 'git_blame', args: '$3[-1].path, start_line=$3[-1].line, end_line=$3[-1].line', why: 'The last throw is in lib/vocabularies/jtd/ref.ts at line 32; I will blame it.' },
      { tool: 'git_show', args: '$4[0].hash', why: 'It came with commit 9cd9ed7; now what that commit changed.' },
    ],
    conclusion: 'The throw, the class, its uses, the blame and the commit answer it.',
    answer: [
      '`$ref` throws `MissingRefError` (lib/compile/ref_error.ts:4) when `resolveRef` finds nothing (lib/vocabularies/core/ref.ts:19); its constructor takes the URI resolver, the base id, the reference and an optional message (lib/compile/ref_error.ts:8).',
      'It is also thrown by `discriminator` (lib/vocabularies/discriminator/index.ts:73) and, with the message "No definition <ref>", by the JTD parser (lib/compile/jtd/parse.ts:345), the JTD serializer (lib/compile/jtd/serialize.ts:250) and JTD\'s `ref` keyword (lib/vocabularies/jtd/ref.ts:32); `Ajv` catches it to load the missing schema (lib/core.ts:440).',
      'The last throw was written by Sam Chen in 9cd9ed7 "JSON Type Definition" on 2024-03-18, which added JTD: lib/jtd.ts, its meta-schema lib/refs/jtd-schema.ts and the 13 keyword files of lib/vocabularies/jtd.',
    ].join('\n'),
  },
  {
    id: 'strict-mode-chain',
    kind: 'deep',
    question: 'Strict mode goes through checkStrictMode: which call to it comes last in the sources and what follows it, who wrote that call, what did that commit add, and what came in just before it?',
    calls: [
      { tool: 'definition', args: '"checkStrictMode"', why: 'First, where checkStrictMode is defined.' },
      { tool: 'references', args: '"${1[0].path}:${1[0].line}"', why: 'It is in lib/compile/util.ts at line 204; now every call to it.' },
      { tool: 'read_file', args: '$2[-1].path, start_line=$2[-1].line', why: 'The last call is in lib/vocabularies/validation/required.ts at line 45; I will read on from there.' },
      { tool: 'git_blame', args: '$2[-1].path, start_line=$2[-1].line, end_line=$2[-1].line', why: 'And who wrote that call, line 45 of required.ts.' },
      { tool: 'git_show', args: '$4[0].hash', why: 'It came with commit 3a3340a; now what that commit changed.' },
      { tool: 'git_show', args: '$5.parents[0]', why: 'Its parent is d353891; now that commit.' },
    ],
    conclusion: 'The references, the file, the blame and both commits answer it.',
    answer: [
      '`checkStrictMode` (lib/compile/util.ts:204) is called 14 times in 12 files; the last call in the sources is the `required` keyword\'s `checkStrictMode(it, msg, it.opts.strictRequired)` (lib/vocabularies/validation/required.ts:45). What follows it are the code generators of the two error modes: `allErrorsMode` (lib/vocabularies/validation/required.ts:50) and `exitOnErrorMode` (lib/vocabularies/validation/required.ts:60), with their loops `loopAllRequired` and `loopUntilMissing` (:73, :80).',
      'Sam Chen wrote that call in 3a3340a "Validation keywords" on 2024-02-05, which added the 13 files of lib/vocabularies/validation (const, enum, the limit keywords, multipleOf, pattern, required, uniqueItems and others).',
      'Just before it came d353891 "Core class and draft-07 entry point" (Sam Chen, 2024-01-22): lib/core.ts, lib/ajv.ts and the draft-07 meta-schemas.',
    ].join('\n'),
  },
  {
    id: 'format-wrong-file',
    kind: 'replan',
    question: 'How does the format keyword treat a format it does not know?',
    calls: [
      {
        tool: 'read_file',
        args: '"lib/vocabularies/validation/format.ts"',
        why: 'format is a validation keyword, so it should be in lib/vocabularies/validation/format.ts; I will read it.',
        miss: 'a wrong file: format has a folder of its own',
      },
    ],
    replan: {
      reason: 'lib/vocabularies/validation/format.ts does not exist; find the file named format.ts',
      calls: [
        { tool: 'find_files', args: '"lib/**/format.ts"', why: 'There is no such file; I will look for format.ts anywhere under lib.' },
        { tool: 'read_file', args: '$2[0]', why: 'It is lib/vocabularies/format/format.ts; reading it.' },
      ],
    },
    conclusion: 'The keyword file answers it.',
    answer: [
      'The format keyword is lib/vocabularies/format/format.ts, and it does nothing when `validateFormats` is off (lib/vocabularies/format/format.ts:37).',
      '- A format named in the schema that was never added makes `unknownFormat()` throw `unknown format "<name>" ignored in schema at path "<path>"` at compile time, or only log that as a warning when `strictSchema` is false (lib/vocabularies/format/format.ts:82-91).',
      '- A format taken from the data (`$data`) is looked up when validating, and an unknown one fails validation unless `strictSchema` is false (lib/vocabularies/format/format.ts:56-61).',
    ].join('\n'),
  },
  {
    id: 'compile-wrong-name',
    kind: 'replan',
    question: 'Which function turns a schema into a validate function, and how does it do it?',
    calls: [
      { tool: 'definition', args: '"compileValidator"', why: 'It is probably called compileValidator; I will find its definition.', miss: 'a name that does not exist' },
      { tool: 'read_file', args: '$1[0].path, start_line=$1[0].line, end_line=175', why: 'Then I will read the function.' },
    ],
    replan: {
      reason: 'There is no compileValidator; search the symbols for compileSchema',
      calls: [
        { tool: 'symbols', args: '"compileSchema"', why: 'No compileValidator exists; I will search the symbols named like compileSchema.' },
        { tool: 'read_file', args: '$3[0].path, start_line=$3[0].line, end_line=175', why: 'compileSchema is in lib/compile/index.ts at line 111; reading it.' },
      ],
    },
    conclusion: 'The function answers it.',
    answer: [
      '`compileSchema` (lib/compile/index.ts:111); the symbol search also finds the `Ajv` methods `_compileSchemaEnv` (lib/core.ts:736) and `_compileMetaSchema` (lib/core.ts:745). `compileSchema`:',
      '- it returns the schema already being compiled, if any, so recursive references end (lib/compile/index.ts:113-114);',
      '- builds a `CodeGen` and the schema context: data names, paths, base id, options (lib/compile/index.ts:118-158);',
      '- has `validateFunctionCode` write the body, optimizes it, and turns the source into a function with `new Function`, stored as a scope value (lib/compile/index.ts:161-173).',
    ].join('\n'),
  },
  {
    id: 'schema-string-narrow',
    kind: 'replan',
    question: 'Where does ajv reject a $schema that is not a string, and who wrote that check?',
    calls: [
      {
        tool: 'grep',
        args: '"$schema must be", glob="lib/compile/**/*.ts"',
        why: 'Schema checks should be under lib/compile; I will search there for the message.',
        miss: 'a search too narrow: the check is in lib/core.ts',
      },
      { tool: 'git_blame', args: '$1[0].path, start_line=$1[0].line, end_line=$1[0].line', why: 'Then who wrote that line.' },
    ],
    replan: {
      reason: 'Nothing under lib/compile; search all of lib',
      calls: [
        { tool: 'grep', args: `"$schema must be", glob="${TS}"`, why: 'Nothing under lib/compile; I will search all of lib.' },
        { tool: 'git_blame', args: '$3[0].path, start_line=$3[0].line, end_line=$3[0].line', why: 'It is lib/core.ts at line 512; I will blame that line.' },
      ],
    },
    conclusion: 'The search and the blame answer it.',
    answer:
      '`Ajv` throws `Error("$schema must be a string")` (lib/core.ts:512) when a schema\'s `$schema` is present but not a string. Sam Chen wrote the line in d353891 "Core class and draft-07 entry point" on 2024-01-22.',
  },
  {
    id: 'normalize-wrong-name',
    kind: 'replan',
    question: 'How does ajv normalize schema ids?',
    calls: [
      { tool: 'definition', args: '"normalizeSchemaId"', why: 'It is probably a function named normalizeSchemaId; I will find it.', miss: 'a name that does not exist' },
      { tool: 'read_file', args: '$1[0].path, start_line=$1[0].line, end_line=$1[0].line', why: 'Then I will read it.' },
    ],
    replan: {
      reason: 'There is no normalizeSchemaId; search the symbols for normalize',
      calls: [
        { tool: 'symbols', args: '"normalize"', why: 'There is no normalizeSchemaId; I will search the symbols for normalize.' },
        { tool: 'read_file', args: '$3[0].path, start_line=$3[0].line, end_line=90', why: 'It is normalizeId in lib/compile/resolve.ts at line 82; reading it.' },
      ],
    },
    conclusion: 'The function answers it.',
    answer:
      '`normalizeId` (lib/compile/resolve.ts:82) returns the id without the trailing part `TRAILING_SLASH_HASH` matches, and an empty string for no id (lib/compile/resolve.ts:83); `resolveUrl` normalizes an id that way before resolving it against the base id with the configured URI resolver (lib/compile/resolve.ts:86-89).',
  },
  {
    id: 'headers-chain',
    kind: 'large-repo',
    workspace: 'openai-node',
    question: 'In the OpenAI SDK, where is the buildHeaders helper defined, which files call it, and when did its file last change?',
    calls: [
      { tool: 'definition', args: '"buildHeaders"', why: 'First, where buildHeaders is defined.' },
      { tool: 'references', args: '"${1[-1].path}:${1[-1].line}"', why: 'Now every use of that definition across the sources.' },
      { tool: 'git_log', args: '$1[-1].path, max_count=2', why: 'And the history of its file.' },
    ],
    conclusion: 'The definition, its references and the log answer it.',
    answer: [
      'Two definitions share the name: the helper `buildHeaders` (src/internal/headers.ts:72), which takes a list of header sets (`HeadersLike[]`) and returns `NullableHeaders`, and the client\'s private async method `OpenAI.buildHeaders` (src/client.ts:1147).',
      'The helper has 113 references in 31 files: the client (src/client.ts:495, :595, :1164), the Azure and Bedrock clients (src/azure.ts:154, src/bedrock.ts:176), multipart uploads (src/internal/uploads.ts:253) and resources that add headers of their own, such as the Assistants beta header (src/resources/beta/assistants.ts:29).',
      'src/internal/headers.ts has not changed since the initial import: 53cdf01 by Alex Rivera on 2023-08-29.',
    ].join('\n'),
  },
  {
    id: 'cache-key-release',
    kind: 'large-repo',
    workspace: 'openai-node',
    question: 'In which release did the changelog first mention prompt_cache_key, and what did that entry say?',
    calls: [
      { tool: 'grep', args: '"prompt_cache_key", glob="CHANGELOG.md"', why: 'First I search the changelog for prompt_cache_key.' },
      { tool: 'git_blame', args: '"CHANGELOG.md", start_line=$1[-1].line, end_line=$1[-1].line', why: 'The last match is the oldest entry; I will blame it.' },
    ],
    conclusion: 'The blame names the release commit.',
    answer: [
      'In **release 6.26.0**: commit 23a7f49 "Release 6.26.0" (Alex Rivera, 2026-03-05) wrote the changelog line "**api:** remove phase from message types, prompt_cache_key param in responses" (CHANGELOG.md:501).',
      'The only other mention, near the top of the changelog and so newer, is "accept `None` for prompt_cache_key/safety_identifier" (CHANGELOG.md:9).',
    ].join('\n'),
  },
  {
    id: 'idempotency',
    kind: 'large-repo',
    workspace: 'openai-node',
    question: 'Does the SDK send an idempotency key when it retries a request, where is the key made, and does the installed build do the same?',
    calls: [
      { tool: 'grep', args: '"idempotencyHeader"', why: 'First I search the whole tree, installed build included, for the idempotency header setting.' },
      { tool: 'definition', args: '"defaultIdempotencyKey"', why: 'Now where the key is generated.' },
      { tool: 'read_file', args: '$2[0].path, start_line=$2[0].line', why: 'It is a method of the client in src/client.ts at line 626; reading it.' },
    ],
    conclusion: 'The search and the generator answer it.',
    answer: [
      'Not the OpenAI client as shipped: it declares `idempotencyHeader` without a value (src/client.ts:394) and nothing in the sources assigns one, and a request gets an idempotency header only when that is set and its method is not GET (src/client.ts:1159); the header then carries the request\'s `options.idempotencyKey` (src/client.ts:1161).',
      'Keys are made by `defaultIdempotencyKey()`: `stainless-node-retry-<uuid4>`, a new one each call (src/client.ts:626-627).',
      'The installed build does the same (node_modules/openai/client.js:649, :652; node_modules/openai/client.mjs:646, :649).',
    ].join('\n'),
  },
  {
    id: 'jtd-ref-issue',
    kind: 'external',
    question: 'Is there an open issue about MissingRefError in JTD, what does it report, and which line of the JTD ref keyword throws that error, written by whom?',
    calls: [
      { tool: 'tracker_search_issues', args: 'query="MissingRefError JTD"', why: 'First I search the issue tracker for MissingRefError and JTD.' },
      { tool: 'tracker_get_issue', args: 'number=$1.items[0].number', why: 'It is issue #1412; now the issue in full.' },
      { tool: 'grep', args: '"throw new MissingRefError", glob="lib/vocabularies/jtd/*.ts"', why: 'Now where the JTD keywords throw MissingRefError.' },
      { tool: 'git_blame', args: '$3[0].path, start_line=$3[0].line, end_line=$3[0].line', why: 'It is thrown in lib/vocabularies/jtd/ref.ts at line 32; I will blame that line.' },
    ],
    conclusion: 'The issue, the throw and its blame answer it.',
    answer: [
      'Yes: #1412 "JTD: a ref to a missing definition throws MissingRefError at compile time" (open, labels jtd and bug, opened by kmoreau on 2024-05-06). It reports that a JTD `ref` naming a definition missing from `definitions` throws MissingRefError "No definition <ref>" from `compile()` instead of making the schema invalid, so `validateSchema` passes and the error shows only later.',
      'The throw is `throw new MissingRefError(it.opts.uriResolver, "", ref, `No definition ${ref}`)` (lib/vocabularies/jtd/ref.ts:32), written by Sam Chen in 9cd9ed7 "JSON Type Definition" on 2024-03-18.',
    ].join('\n'),
  },
  {
    id: 'strict-tuples-docs',
    kind: 'external',
    question: 'What do the docs say strictTuples checks, is there an open issue about it, and where does the code check it, written by whom?',
    calls: [
      { tool: 'docs_search', args: 'query="strictTuples"', why: 'First what the documentation says about strictTuples.' },
      { tool: 'tracker_search_issues', args: 'query="strictTuples"', why: 'Now the issues that mention strictTuples.' },
      { tool: 'grep', args: `"opts.strictTuples", glob="${TS}"`, why: 'Now where the code reads the strictTuples option.' },
      { tool: 'git_blame', args: '$3[-1].path, start_line=$3[-1].line, end_line=$3[-1].line', why: 'It is checked in lib/vocabularies/applicator/items.ts, reported at line 54; I will blame that line.' },
    ],
    conclusion: 'The docs, the issue search, the code and its blame answer it.',
    answer: [
      'The docs ("Strict mode: prohibit unconstrained tuples", https://ajv.js.org/strict-mode.html#prohibit-unconstrained-tuples): a tuple (`items` as an array) must also set `minItems` and `additionalItems: false`, or `maxItems` equal to its number of items; otherwise ajv logs a warning ("log", the default in strict mode) or throws (`true`).',
      'Issue #1377 "strictTuples warns for a tuple with minItems but no maxItems" is open (label strict mode).',
      'The code checks it in the `items` keyword (lib/vocabularies/applicator/items.ts:52) and reports through `checkStrictMode(it, msg, opts.strictTuples)` (lib/vocabularies/applicator/items.ts:54), written by Petra Novak in 2de993c "Applicator keywords" on 2024-02-12.',
    ].join('\n'),
  },
  {
    id: 'strict-issues-fanout',
    kind: 'external',
    question: 'Which open issues are there about strictRequired and about unknown formats, what does each report, and what do the docs say about each?',
    calls: [
      { tool: 'tracker_search_issues', args: 'query="strictRequired"', why: 'First the issues about strictRequired.' },
      { tool: 'tracker_search_issues', args: 'query="unknown format"', why: 'Now the issues about unknown formats.' },
      { tool: 'tracker_get_issue', args: 'number=$1.items[0].number', why: 'The strictRequired one is #1366; reading it.' },
      { tool: 'tracker_get_issue', args: 'number=$2.items[0].number', why: 'The unknown format one is #1401; reading it.' },
      { tool: 'docs_search', args: 'query="strictRequired"', why: 'Now what the docs say about strictRequired.' },
      { tool: 'docs_search', args: 'query="unknown format"', why: 'And what they say about unknown formats.' },
    ],
    conclusion: 'The two issues and the two doc searches answer it.',
    answer: [
      '- **strictRequired**: #1366 "strictRequired flags properties defined in a sibling allOf" (open, strict mode and bug, opened by kmoreau on 2024-04-15): a property listed in `required` but defined in a sibling `allOf` branch is reported as not defined in properties. The docs (https://ajv.js.org/strict-mode.html#defined-required-properties): with `strictRequired`, each required property must be defined in `properties` of the same schema object; the check is off by default.',
      '- **Unknown formats**: #1401 "Unknown format error should name the schema path" (open, formats and enhancement, opened by tnakamura on 2024-05-01): with `$data` formats there is no compile-time error, validation just fails; it asks strict mode to warn there too. The docs (https://ajv.js.org/guide/formats.html): ajv has no formats of its own since v7 (add ajv-formats or `addFormat`), and an unknown format throws when the schema is compiled unless `strictSchema` is false.',
    ].join('\n'),
  },
  {
    id: 'timeout-error',
    kind: 'external',
    workspace: 'openai-node',
    coldTools: true,
    question: 'Which error does the OpenAI SDK throw when a request times out, where is that class defined, where is it thrown, and who wrote the client\'s throw?',
    calls: [
      { tool: 'definition', args: '"APIConnectionTimeoutError"', why: 'First, where the timeout error class is defined.' },
      { tool: 'references', args: '"${1[1].path}:${1[1].line}:${1[1].column}"', why: 'The class is in src/core/error.ts at line 123 (the other two are re-exports); now every use of it.' },
      { tool: 'git_blame', args: '$2[0].path, start_line=$2[0].line, end_line=$2[0].line', why: 'The client throws it in src/client.ts at line 843; I will blame that line.' },
      { tool: 'read_file', args: '$2[-1].path, start_line=$2[-1].line', why: 'The other throw is in src/resources/files.ts at line 111; reading on from there.' },
    ],
    conclusion: 'The class, its uses, the blame and the other throw answer it.',
    answer: [
      '`APIConnectionTimeoutError` (src/core/error.ts:123), a subclass of `APIConnectionError`; the client also offers it as the static `OpenAI.APIConnectionTimeoutError` (src/client.ts:1275), and the package exports it (src/index.ts:13).',
      'It is thrown in two places: by the client\'s request code, `throw new Errors.APIConnectionTimeoutError()` (src/client.ts:843), and by the Files resource when it gives up waiting for a file, with the message "Giving up on waiting for file <id> to finish processing after <maxWait> milliseconds." (src/resources/files.ts:111-112).',
      'The client\'s throw came with the initial import: 53cdf01 "Initial import, release 4.3.1" by Alex Rivera on 2023-08-29.',
    ].join('\n'),
  },
  {
    id: 'retry-backoff',
    kind: 'external',
    workspace: 'openai-node',
    coldTools: true,
    question:
      'Which failed responses does the OpenAI SDK retry, how long does it wait before each retry, where does the client decide, and what came with the release that introduced exponential backoff?',
    calls: [
      { tool: 'definition', args: '"shouldRetry"', why: 'First, where the SDK decides whether to retry.' },
      { tool: 'read_file', args: '$1[1].path, start_line=$1[1].line', why: 'It is a method of OpenAI in src/client.ts at line 1035; reading it and the retry code after it.' },
      { tool: 'references', args: '"${1[1].path}:${1[1].line}:${1[1].column}"', why: 'Now where the client calls it.' },
      { tool: 'grep', args: '"exponential backoff", glob="CHANGELOG.md"', why: 'Now the changelog entry about exponential backoff.' },
      { tool: 'git_blame', args: '"CHANGELOG.md", start_line=$4[0].line, end_line=$4[0].line', why: 'It is at line 4077 of CHANGELOG.md; I will blame it to find its release.' },
      { tool: 'git_show', args: '$5[0].hash', why: 'It came with commit 24ba80e; now what that release changed.' },
    ],
    conclusion: 'The check, its caller, the retry code and the release answer it.',
    answer: [
      '- **Which:** `shouldRetry` (src/client.ts:1035), which `makeRequest` calls with the response (src/client.ts:883), obeys an `x-should-retry: true` or `false` header when the server sends one; otherwise it retries 408 (request timeout), 409 (lock timeout), 429 (rate limit) and every status from 500 up (src/client.ts:1037-1053).',
      '- **How long:** `retryRequest` waits what the server asks in `retry-after-ms`, else in `retry-after` (seconds, or an HTTP date) (src/client.ts:1066-1084); without either, `calculateDefaultRetryTimeoutMillis` backs off exponentially: 0.5 s doubled for each retry already made, at most 8 s, less up to 25% jitter (src/client.ts:1097-1109). Then it calls `makeRequest` again with one retry fewer (src/client.ts:1094).',
      '- **Release:** exponential backoff came in 4.14.0: commit 24ba80e "Release 4.14.0" (Sam Chen, 2023-10-25) wrote the changelog line "**client:** adjust retry behavior to be exponential backoff" (CHANGELOG.md:4077); that release also updated the Deno version in the docs and set src/version.ts to 4.14.0.',
    ].join('\n'),
  },
];
