// The canonical JSON document every reader script prints, so the C++ tests can
// compare readers value by value (docs in tests/interop/README.md):
//   {"schema":[{"name":..,"type":..},..],"rows":[[..],..]}
// Values: null for null; doubles and floats as JSON strings holding the
// shortest round-trip decimal ("-0", "5e-324", "NaN", "Infinity"), so a C++
// parser gets the exact bits back; int8..int32, uint8..uint32 and date32 (days)
// as numbers; int64, uint64 and timestamps (integer count of the type's unit)
// as strings; decimals as their decimal text ("-0.05"); binary as lower-case
// hex; booleans as true/false; anything else as the reader's own text.

export function canonDouble(x) {
  if (Object.is(x, -0)) return '-0';
  // JavaScript's Number-to-String is the shortest text that parses back to x.
  return String(x);
}

export function canonInt64(x) {
  return BigInt(x).toString();
}

// Decimal text of unscaled * 10^-scale, e.g. (-5n, 2) -> "-0.05".
export function decimalText(unscaled, scale) {
  const negative = unscaled < 0n;
  let digits = (negative ? -unscaled : unscaled).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale);
  }
  return (negative ? '-' : '') + digits;
}

export function hex(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function serialize(doc) {
  // One line per document; JSON.stringify escapes lone surrogates, so the
  // output is valid UTF-8 whatever the strings hold.
  return JSON.stringify(doc, (key, value) => (typeof value === 'bigint' ? value.toString() : value));
}

// Runs `dump(file)` (async, returns a document) for each file named on the
// command line. One file: prints its document, or the error on stderr and exits
// 1. Several files: prints one line per file (JSON Lines), an error as
// {"error":"..."}, and exits 0, so one node start-up serves a batch.
export async function main(usage, dump) {
  const files = process.argv.slice(2);
  if (files.length === 0 || files.includes('--help')) {
    process.stderr.write(`usage: ${usage}\n`);
    process.exit(files.length === 0 ? 2 : 0);
  }
  const out = [];
  for (const file of files) {
    try {
      out.push(serialize(await dump(file)));
    } catch (err) {
      const message = `${file}: ${err && err.message ? err.message : String(err)}`;
      if (files.length === 1) {
        process.stderr.write(message + '\n');
        process.exit(1);
      }
      out.push(serialize({ error: message }));
    }
  }
  await writeAll(out.join('\n') + '\n');
}

// process.stdout.write on a pipe is asynchronous; wait until it drained so a
// large document is not cut when the process exits.
export function writeAll(text) {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
  });
}
