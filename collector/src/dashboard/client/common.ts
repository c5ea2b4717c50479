// The script of every dashboard page (progressive: each page works without it): times in the browser's time zone,
// "select all" checkboxes, copy buttons, and confirmation of destructive buttons.

const localFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** <time data-local="datetime"> elements, rendered in UTC by the server, shown in the browser's time zone. */
function localTimes(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLTimeElement>('time[data-local="datetime"]')) {
    const d = new Date(el.dateTime);
    if (!Number.isNaN(d.getTime())) {
      el.title = `${el.textContent ?? ''}`;
      el.textContent = localFormat.format(d);
    }
  }
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (const el of root.querySelectorAll<HTMLElement>('[data-time-zone]')) el.textContent = zone;
}

/** <input type="checkbox" data-select-all="name">: checks or clears every checkbox named `name` in its form. */
function selectAll(root: ParentNode): void {
  for (const box of root.querySelectorAll<HTMLInputElement>('input[data-select-all]')) {
    box.addEventListener('change', () => {
      const form = box.form;
      if (!form) return;
      for (const other of form.querySelectorAll<HTMLInputElement>(`input[type="checkbox"][name="${CSS.escape(box.dataset.selectAll ?? '')}"]`)) {
        other.checked = box.checked;
      }
    });
  }
}

/** <button data-copy="element-id">: copies that element's text. */
function copyButtons(root: ParentNode): void {
  for (const button of root.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
    button.hidden = false;
    button.addEventListener('click', () => {
      const source = document.getElementById(button.dataset.copy ?? '');
      if (!source) return;
      void navigator.clipboard?.writeText(source.textContent ?? '').then(() => {
        const label = button.textContent;
        button.textContent = 'Copied';
        setTimeout(() => { button.textContent = label; }, 1500);
      });
    });
  }
}

/** <form data-confirm="question">: asks before sending. */
function confirmations(root: ParentNode): void {
  for (const form of root.querySelectorAll<HTMLFormElement>('form[data-confirm]')) {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.dataset.confirm ?? 'Are you sure?')) event.preventDefault();
    });
  }
}

function enhance(root: ParentNode): void {
  localTimes(root);
  selectAll(root);
  copyButtons(root);
  confirmations(root);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => enhance(document));
else enhance(document);
