// A fresh compilation of a function, for closure factories whose hot loops read captured typed
// arrays. V8 (Node 20) compiles a closure's captured arrays as constants — their location and
// length folded into the loop — but only while the function has made a single closure; from the
// second on, the loops read them as they read parameters, which was 1.9–2.5× slower here (over
// the 10M-edge bench graph: a random gather 56–59 against 29 ms, the degree count's random
// increments 56.5 against 22.6 ms). So a factory called once per graph is compiled afresh each
// time. Each copy's text ends in a comment of its own: V8 caches the compiled text of
// `new Function` (until a major GC) and returns the same function for the same text, which makes
// the second copy a second closure after all (two PageRank solves in a row over one graph took
// 2.2–2.6 s each, against 0.75–0.87 s with the count). The TypeScript loader's keepNames helper
// (`__name`, which esbuild adds after nested function declarations) is stubbed in the copy; the
// function must not use anything else from its module.

export function freshCopy<F extends (...args: never[]) => unknown>(fn: F): F {
  copies++;
  return new Function(`const __name = (target) => target; return ${fn.toString()}; // ${copies}`)() as F;
}

let copies = 0;
