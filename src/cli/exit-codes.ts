// Exit codes the CLI uses; the sysexits ones are what systemd units and scripts expect.

/** Everything healthy, or the command did what was asked. */
export const EXIT_OK = 0;
/** `check`: something is unhealthy. `simulate`: an expectation failed. */
export const EXIT_UNHEALTHY = 1;
/** `check`: degraded: the node serves, something beside it is wrong (e.g. the registry is down, no pod needs it). */
export const EXIT_DEGRADED = 2;
/** `check`: a probe could not tell. */
export const EXIT_UNKNOWN = 3;
/** EX_USAGE: bad arguments (an unknown option, a duration or a time that does not parse). */
export const EXIT_USAGE = 64;
/** EX_UNAVAILABLE: the daemon is not running (its socket does not answer). */
export const EXIT_UNAVAILABLE = 69;
/** EX_SOFTWARE: an internal error. */
export const EXIT_SOFTWARE = 70;
/** EX_CONFIG: the config file is invalid; the unit's RestartPreventExitStatus=78 stops retries. */
export const EXIT_CONFIG = 78;
/** EX_NOPERM: the socket refused this user (not in the status group, or control.sock without root). */
export const EXIT_NOPERM = 77;
/** EX_TEMPFAIL: the daemon took the connection but did not answer in time, or said it is busy. */
export const EXIT_TEMPFAIL = 75;
