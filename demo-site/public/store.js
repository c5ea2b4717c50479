// Loop & Thread storefront script. Loaded synchronously before the async al.js tag, so the Referloop queue
// stub below exists before any call is made; al.js replays the queued calls when it arrives.
window.al = window.al || function () { var a = arguments; return new Promise(function (r) { (al.q = al.q || []).push([a, r]); }); };

(function () {
  function whenParsed(fn) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fn);
    else fn();
  }

  // The banner: the advocate's name on the landing page, a reminder on later pages with a stored code.
  function showReferral(state) {
    whenParsed(function () {
      if (!state || !state.code) return;
      var banner = document.querySelector('[data-referral-banner]');
      if (banner) {
        var offer = banner.getAttribute('data-offer') || '';
        banner.querySelector('[data-referral-title]').textContent = state.referrer
          ? state.referrer + ' gave you ' + offer + ' off'
          : 'Referral discount applied at checkout';
        banner.querySelector('[data-referral-detail]').textContent = state.referrer
          ? 'Your discount is applied automatically at checkout.'
          : offer + ' off your order with code ' + state.code + '.';
        banner.hidden = false;
      }
      var note = document.querySelector('[data-referral-note]');
      if (note) {
        note.querySelector('[data-referral-code]').textContent = state.code;
        note.hidden = false;
      }
    });
  }

  al('ready', showReferral);

  whenParsed(function () {
    // Consent mode: nothing is stored until the visitor accepts.
    var bar = document.querySelector('[data-consent-bar]');
    if (bar) {
      bar.querySelector('[data-consent-accept]').addEventListener('click', function () {
        bar.hidden = true;
        al('consent', true).then(function () { al('ready', showReferral); });
      });
      bar.querySelector('[data-consent-decline]').addEventListener('click', function () {
        bar.hidden = true;
        al('consent', false);
      });
    }
    // One click, one order: a form disables its button once it is on its way.
    document.querySelectorAll('form[data-submit-once]').forEach(function (form) {
      form.addEventListener('submit', function () {
        var button = form.querySelector('button[type="submit"]');
        if (button) setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });
})();
