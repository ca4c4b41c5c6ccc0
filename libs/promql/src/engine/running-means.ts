// Eight of avg_over_time's running means at once, two to a WebAssembly SIMD register. Each
// step of a mean is two divisions (Prometheus' `mean += v/count - mean/count`, kept for its
// rounding), and a 7-day answer's 2.4 million steps left V8's code waiting on the divider,
// which takes as long to divide a pair of doubles as one; JavaScript has no way to ask for
// the pair. The module is a few dozen instructions, assembled here rather than built, so that
// the operations are readable next to the JavaScript they replace:
//
//   (func (export "means8") (param $a0 i32) … (param $a7 i32) (param $n i32) (param $out i32)
//     (local $count v128) (local $one v128) (local $m01 v128) … (local $m67 v128)
//     (local.set $one (f64x2.splat (f64.const 1)))
//     (block $done (br_if $done (i32.eqz (local.get $n)))
//       (loop $step
//         (local.set $count (f64x2.add (local.get $count) (local.get $one)))
//         ;; for each pair (a0, a1) … (a6, a7) and its means $m01 … $m67:
//         (local.set $m01 (f64x2.add (local.get $m01) (f64x2.sub
//           (f64x2.div (f64x2.replace_lane 1 (v128.load64_splat (local.get $a0))
//                                            (f64.load (local.get $a1)))
//                      (local.get $count))
//           (f64x2.div (local.get $m01) (local.get $count)))))
//         ;; every $a += 8
//         (br_if $step (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
//     (v128.store offset=0 (local.get $out) (local.get $m01)) … offset=48 $m67)
//
// WebAssembly's f64 arithmetic is IEEE 754's, the same correctly rounded operations as
// JavaScript's, so each lane is bit for bit the scalar loop.

// The part of WebAssembly's JavaScript API used here: Node has it all, but TypeScript declares it
// only in the DOM's library, which this repository does not load.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
};
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

const I32 = 0x7f;
const V128 = 0x7b;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I32_CONST = 0x41;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_EQZ = 0x45;
const F64_CONST = 0x44;
const F64_LOAD = 0x2b;
const BLOCK = 0x02;
const LOOP = 0x03;
const VOID = 0x40;
const BR_IF = 0x0d;
const END = 0x0b;
// SIMD instructions: the 0xfd prefix, then the opcode as unsigned LEB128.
const V128_LOAD64_SPLAT = [0xfd, 0x0a];
const V128_STORE = [0xfd, 0x0b];
const F64X2_SPLAT = [0xfd, 0x14];
const F64X2_REPLACE_LANE = [0xfd, 0x22];
const F64X2_ADD = [0xfd, 0xf0, 0x01];
const F64X2_SUB = [0xfd, 0xf1, 0x01];
const F64X2_DIV = [0xfd, 0xf3, 0x01];
// memarg: alignment exponent, offset.
const ALIGN_8 = 3;
const ALIGN_16 = 4;

// Parameters: a0…a7 (byte addresses of each window's next sample), n (steps), out.
const WINDOWS = 8;
const N = WINDOWS;
const OUT = WINDOWS + 1;
// Locals after the parameters.
const COUNT = WINDOWS + 2;
const ONE = WINDOWS + 3;
const MEANS = WINDOWS + 4; // WINDOWS / 2 of them

function stepOfPair(pair: number): number[] {
  const mean = MEANS + pair;
  // prettier-ignore
  return [
    LOCAL_GET, mean,
    LOCAL_GET, 2 * pair, ...V128_LOAD64_SPLAT, ALIGN_8, 0,
    LOCAL_GET, 2 * pair + 1, F64_LOAD, ALIGN_8, 0,
    ...F64X2_REPLACE_LANE, 1,
    LOCAL_GET, COUNT, ...F64X2_DIV,
    LOCAL_GET, mean, LOCAL_GET, COUNT, ...F64X2_DIV,
    ...F64X2_SUB,
    ...F64X2_ADD,
    LOCAL_SET, mean,
  ];
}

function body(): number[] {
  const pairs = Array.from({ length: WINDOWS / 2 }, (_, p) => p);
  const windows = Array.from({ length: WINDOWS }, (_, w) => w);
  // prettier-ignore
  return [
    1, WINDOWS / 2 + 2, V128, // locals: count, one, the means
    F64_CONST, ...new Uint8Array(Float64Array.of(1).buffer), ...F64X2_SPLAT, LOCAL_SET, ONE,
    BLOCK, VOID,
    LOCAL_GET, N, I32_EQZ, BR_IF, 0,
    LOOP, VOID,
    LOCAL_GET, COUNT, LOCAL_GET, ONE, ...F64X2_ADD, LOCAL_SET, COUNT,
    ...pairs.flatMap(stepOfPair),
    ...windows.flatMap((w) => [LOCAL_GET, w, I32_CONST, 8, I32_ADD, LOCAL_SET, w]),
    LOCAL_GET, N, I32_CONST, 1, I32_SUB, LOCAL_TEE, N, BR_IF, 0,
    END,
    END,
    ...pairs.flatMap((p) => [LOCAL_GET, OUT, LOCAL_GET, MEANS + p, ...V128_STORE, ALIGN_16, 16 * p]),
    END,
  ];
}

function section(id: number, content: number[]): number[] {
  return [id, ...leb128(content.length), ...content];
}

function leb128(n: number): number[] {
  const out: number[] = [];
  do {
    const byte = n & 0x7f;
    n >>>= 7;
    out.push(n ? byte | 0x80 : byte);
  } while (n);
  return out;
}

function name(s: string): number[] {
  return [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
}

function runningMeansModule(): Uint8Array {
  const code = body();
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, WINDOWS + 2, ...Array(WINDOWS + 2).fill(I32), 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [2, ...name('memory'), 0x02, 0, ...name('means8'), 0x00, 0]),
    ...section(10, [1, ...leb128(code.length), ...code]),
  ]);
}

// prettier-ignore
type Means8 = (
  a0: number, a1: number, a2: number, a3: number,
  a4: number, a5: number, a6: number, a7: number,
  n: number, out: number,
) => void;

/**
 * The kernel over one series' values: `load` copies them into the module's memory, `run`
 * advances eight windows starting at sample indexes lo[k..k+8) by n steps and leaves their
 * running means in `means`.
 */
export class RunningMeans {
  private readonly memory: WasmMemory;
  private readonly means8: Means8;
  private values = new Float64Array(0);
  /** The eight means after `run`. */
  means = new Float64Array(0);

  constructor() {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(runningMeansModule()));
    this.memory = instance.exports.memory as WasmMemory;
    this.means8 = instance.exports.means8 as Means8;
    this.views();
  }

  load(vs: Float64Array): void {
    // The means first (WINDOWS doubles), the values after them.
    const bytes = 8 * (WINDOWS + vs.length);
    const have = this.memory.buffer.byteLength;
    if (bytes > have) {
      this.memory.grow(Math.ceil((bytes - have) / 65_536));
      this.views();
    }
    this.values.set(vs);
  }

  run(lo: Int32Array, k: number, n: number): void {
    const base = 8 * WINDOWS;
    // prettier-ignore
    this.means8(
      base + 8 * lo[k], base + 8 * lo[k + 1], base + 8 * lo[k + 2], base + 8 * lo[k + 3],
      base + 8 * lo[k + 4], base + 8 * lo[k + 5], base + 8 * lo[k + 6], base + 8 * lo[k + 7],
      n, 0,
    );
  }

  private views(): void {
    this.means = new Float64Array(this.memory.buffer, 0, WINDOWS);
    this.values = new Float64Array(this.memory.buffer, 8 * WINDOWS);
  }
}
