/**
 * Prometheus text exposition (format 0.0.4): counters, gauges and
 * histograms with labels, rendered with their HELP and TYPE lines. Small on
 * purpose: the engine needs a handful of families, not a client library.
 */

type Labels = Readonly<Record<string, string>>;

/** The content type of a scrape response. */
export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function labelText(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return "";
  return `{${keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(",")}}`;
}

function number(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(v);
}

/** A family of series sharing a name, help text and type. */
abstract class Family {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: "counter" | "gauge" | "histogram",
  ) {}
  abstract samples(): string[];
  render(): string {
    return [
      `# HELP ${this.name} ${escapeHelp(this.help)}`,
      `# TYPE ${this.name} ${this.type}`,
      ...this.samples(),
    ].join("\n");
  }
}

/** A counter or gauge: one value per label set. */
export class Scalar extends Family {
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  /** Adds `by` (default 1) to the series of `labels`. */
  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    const s = this.values.get(key);
    if (s === undefined) this.values.set(key, { labels, value: by });
    else s.value += by;
  }

  /** Sets the series of `labels` (gauges). */
  set(labels: Labels, value: number): void {
    this.values.set(labelText(labels), { labels, value });
  }

  /** Drops every series (gauges recomputed at each scrape). */
  reset(): void {
    this.values.clear();
  }

  samples(): string[] {
    if (this.values.size === 0 && this.type === "gauge") return [`${this.name} 0`];
    return [...this.values.values()].map(
      (s) => `${this.name}${labelText(s.labels)} ${number(s.value)}`,
    );
  }
}

/** A histogram with fixed upper bounds. */
export class Histogram extends Family {
  private readonly series = new Map<
    string,
    { labels: Labels; counts: number[]; sum: number; count: number }
  >();

  constructor(
    name: string,
    help: string,
    readonly bounds: readonly number[],
  ) {
    super(name, help, "histogram");
  }

  observe(value: number, labels: Labels = {}): void {
    const key = labelText(labels);
    let s = this.series.get(key);
    if (s === undefined) {
      s = { labels, counts: this.bounds.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    for (let i = 0; i < this.bounds.length; i++) if (value <= this.bounds[i]!) s.counts[i]!++;
    s.sum += value;
    s.count++;
  }

  samples(): string[] {
    const out: string[] = [];
    const all =
      this.series.size === 0
        ? [{ labels: {}, counts: this.bounds.map(() => 0), sum: 0, count: 0 }]
        : [...this.series.values()];
    for (const s of all) {
      for (let i = 0; i < this.bounds.length; i++) {
        out.push(
          `${this.name}_bucket${labelText({ ...s.labels, le: number(this.bounds[i]!) })} ${s.counts[i]}`,
        );
      }
      out.push(`${this.name}_bucket${labelText({ ...s.labels, le: "+Inf" })} ${s.count}`);
      out.push(`${this.name}_sum${labelText(s.labels)} ${number(s.sum)}`);
      out.push(`${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return out;
  }
}

/** Families in registration order. */
export class Registry {
  private readonly families: Family[] = [];

  counter(name: string, help: string): Scalar {
    return this.add(new Scalar(name, help, "counter"));
  }

  gauge(name: string, help: string): Scalar {
    return this.add(new Scalar(name, help, "gauge"));
  }

  histogram(name: string, help: string, bounds: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, bounds));
  }

  private add<F extends Family>(f: F): F {
    this.families.push(f);
    return f;
  }

  /** The exposition text (ends with a newline). */
  render(): string {
    return `${this.families.map((f) => f.render()).join("\n")}\n`;
  }
}
