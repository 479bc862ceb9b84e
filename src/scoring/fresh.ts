// A fresh compilation of a function, for closure factories whose hot loops read captured typed
// arrays. V8 (Node 20) compiles a closure's captured arrays as constants — their location and
// length folded into the loop — but only while the function has made a single closure; from the
// second on, the loops read them as they read parameters, which was 1.9–2.5× slower here (over
// the 10M-edge bench graph: a random gather 56–59 against 29 ms, the degree count's random
// increments 56.5 against 22.6 ms). So a factory called once per graph is compiled afresh each
// time. The TypeScript loader's keepNames helper (`__name`, which esbuild adds after nested
// function declarations) is stubbed in the copy; the function must not use anything else from its
// module.

export function freshCopy<F extends (...args: never[]) => unknown>(fn: F): F {
  return new Function(`const __name = (target) => target; return ${fn.toString()};`)() as F;
}
