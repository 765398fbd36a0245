/** What the process exit status tells a script calling the CLI. */
export const EXIT = {
  answered: 0,
  failed: 1,
  usage: 2,
  /** No model server answers at the base URL. */
  noEndpoint: 3,
  /** 128 + SIGINT, as shells report an interrupted command. */
  cancelled: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
