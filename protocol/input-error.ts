// A user's mistake (a bad flag, file, field or reference): reported as one line naming where and
// what, with exit code 2 and no stack trace. Anything else that is thrown is a crash.
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}
