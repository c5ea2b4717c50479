// Copies attribution into <input data-al="code|visitor_id"> so checkout forms carry it to the site's backend.

export function fillInputs(values: Record<string, string | undefined>): void {
  try {
    document.querySelectorAll<HTMLInputElement>('input[data-al]').forEach((input) => {
      const value = values[input.dataset.al!];
      // Never blank a value the site rendered itself when we know nothing better.
      if (value) input.value = value;
    });
  } catch {}
}
