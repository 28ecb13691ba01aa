/**
 * Progress of long operations on stderr (stdout stays clean for results and
 * --json): an animated status line on a terminal, plain lines — one per
 * change — when stderr is a file or a pipe.
 */
const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export class Progress {
  private text = "";
  private frame = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly tty: boolean;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    /** Silenced (e.g. under --json or --quiet). */
    private readonly quiet = false,
  ) {
    this.tty = out.isTTY === true;
  }

  /** Shows a new status; on a terminal it replaces the current line. */
  update(text: string): void {
    if (this.quiet || text === this.text) return;
    this.text = text;
    if (!this.tty) {
      this.out.write(`${text}\n`);
      return;
    }
    this.draw();
    this.timer ??= setInterval(() => this.draw(), 80);
  }

  /** Clears the status line (terminal) and stops animating. */
  done(finalLine?: string): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (this.quiet) return;
    if (this.tty && this.text !== "") this.out.write("\r\x1b[K");
    if (finalLine !== undefined) this.out.write(`${finalLine}\n`);
  }

  private draw(): void {
    this.frame = (this.frame + 1) % FRAMES.length;
    this.out.write(`\r\x1b[K${FRAMES[this.frame]} ${this.text}`);
  }
}
