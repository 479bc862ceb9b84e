// A fresh compilation of a function, for closure factories whose hot loops read captured typed
// arrays. V8 (Node 20) compiles a closure's captured arrays as constants — their location and
// length folded into the loop — but only while the function has made a single closure; from the
// second on, the loops read them as from any variable and ran 2–2.5× slower here (a random gather
// over 10M edges: 56 against 23 ms). So a factory called once per graph is compiled afresh each
// time. The TypeScript loader's keepNames helper (`__name`, which esbuild adds after nested
// function declarations) is stubbed in the copy; the function must not use anything else from its
// module.

export function freshCopy<F extends (...args: never[]) => unknown>(fn: F): F {
  return new Function(`const __name = (target) => target; return ${fn.toString()};`)() as F;
}
