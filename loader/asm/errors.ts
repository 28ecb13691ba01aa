/**
 * `AsmError`: everything wrong with an assembly listing. It names the source
 * line of the offending form and the form itself (abbreviated), so a bad
 * hand-written fixture points straight at the instruction at fault.
 */
export class AsmError extends Error {
  override readonly name = "AsmError";

  constructor(
    /** What is wrong. */
    readonly reason: string,
    /** The listing's name as given to the assembler. */
    readonly file: string,
    /** 1-based line where the form starts; 0 when not tied to a form. */
    readonly line: number,
    /** The form as text (shortened), or "" when not tied to a form. */
    readonly form: string,
  ) {
    const where = line > 0 ? `${file}:${line}` : file;
    const what =
      form === "" ? "" : ` (in ${form.length > 120 ? `${form.slice(0, 117)}...` : form})`;
    super(`${where}: ${reason}${what}`);
  }
}
