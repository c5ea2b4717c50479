// The widget's stylesheet, inside its shadow root: the page's styles do not reach in, and it themes through the CSS
// custom properties below (set them on the container or any ancestor: custom properties inherit into the shadow tree).
export const CSS = `
:host{all:initial;display:block;box-sizing:border-box;
font:var(--referloop-font-size,15px)/1.45 var(--referloop-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);
color:var(--referloop-text,#1f2328)}
:host([data-referloop-floating]){position:fixed;right:16px;bottom:16px;z-index:2147483000;width:min(360px,calc(100vw - 32px))}
*{box-sizing:border-box}
.card{position:relative;background:var(--referloop-background,#fff);border:1px solid var(--referloop-border,#d0d7de);
border-radius:var(--referloop-radius,12px);padding:16px 18px;box-shadow:var(--referloop-shadow,0 6px 24px rgba(0,0,0,.12))}
h2{font-size:1.15em;margin:0 0 6px;padding-right:28px;color:inherit}
p{margin:0 0 10px}
.muted{color:var(--referloop-muted,#57606a)}
label{display:block;font-weight:600;margin:8px 0 4px}
input{width:100%;font:inherit;color:inherit;background:var(--referloop-input-background,#fff);
border:1px solid var(--referloop-border,#d0d7de);border-radius:calc(var(--referloop-radius,12px)/2);padding:8px 10px}
.row{display:flex;gap:8px;align-items:center}
.row input{flex:1}
button{font:inherit;font-weight:600;cursor:pointer;border-radius:calc(var(--referloop-radius,12px)/2);padding:8px 14px;
border:1px solid var(--referloop-accent,#4338ca);background:var(--referloop-accent,#4338ca);color:var(--referloop-accent-text,#fff)}
button.secondary{background:transparent;color:var(--referloop-accent,#4338ca)}
button[disabled]{opacity:.6;cursor:progress}
form button{margin-top:10px;width:100%}
:focus-visible{outline:3px solid var(--referloop-focus,#1d4ed8);outline-offset:2px}
.close{position:absolute;top:8px;right:8px;border:0;background:transparent;color:var(--referloop-muted,#57606a);
padding:2px 8px;font-size:1.2em;line-height:1}
.shares{display:flex;flex-wrap:wrap;gap:6px;margin:12px 0 4px;padding:0;list-style:none}
.shares button{padding:6px 10px;font-size:.9em}
dl{display:grid;grid-template-columns:repeat(3,1fr);gap:6px;margin:12px 0 0}
dl div{background:var(--referloop-figure-background,#f6f8fa);border-radius:calc(var(--referloop-radius,12px)/2);padding:6px 8px}
dt{font-size:.8em;color:var(--referloop-muted,#57606a)}
dd{margin:0;font-weight:700}
.status{min-height:1.45em;margin:10px 0 0}
.referee .status{min-height:4.35em}
.status.ok{color:var(--referloop-success,#067647)}
.status.error{color:var(--referloop-error,#b42318)}
@media (prefers-reduced-motion:no-preference){button{transition:filter .15s}button:hover{filter:brightness(1.08)}}
`;
