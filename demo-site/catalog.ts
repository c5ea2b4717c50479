// The store's products and how money is shown: prices are integer cents, formatted only for display.

export interface Product {
  slug: string;
  sku: string;
  name: string;
  category: string;
  /** unit price in cents */
  price: number;
  summary: string;
  details: string[];
  image: string;
}

export const CATALOG: readonly Product[] = [
  {
    slug: 'classic-tee',
    sku: 'TSH-001',
    name: 'Classic Organic T-Shirt',
    category: 'Apparel',
    price: 2999,
    summary: 'A heavyweight tee in GOTS-certified organic cotton that keeps its shape wash after wash.',
    details: ['180 g/m² organic cotton jersey', 'Relaxed fit, sizes XS–XXL', 'Made in Portugal'],
    image: '/img/tee.svg',
  },
  {
    slug: 'canvas-tote',
    sku: 'BAG-010',
    name: 'Canvas Tote',
    category: 'Bags',
    price: 2701,
    summary: 'A roomy everyday tote in 12 oz canvas with an inside pocket for keys and phone.',
    details: ['12 oz natural cotton canvas', 'Reinforced 60 cm handles', 'Inside zip pocket'],
    image: '/img/tote.svg',
  },
  {
    slug: 'stoneware-mug',
    sku: 'MUG-004',
    name: 'Stoneware Mug',
    category: 'Home',
    price: 1850,
    summary: 'Hand-glazed stoneware that holds a generous 350 ml of coffee and keeps it warm.',
    details: ['350 ml', 'Dishwasher and microwave safe', 'Each glaze is slightly different'],
    image: '/img/mug.svg',
  },
  {
    slug: 'merino-beanie',
    sku: 'HAT-007',
    name: 'Merino Beanie',
    category: 'Accessories',
    price: 3400,
    summary: 'A soft rib-knit beanie in extra-fine merino wool: warm, breathable and never itchy.',
    details: ['100% extra-fine merino wool', 'One size', 'Knitted in Scotland'],
    image: '/img/beanie.svg',
  },
];

export const findProduct = (slug: string): Product | undefined => CATALOG.find((p) => p.slug === slug);

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export const formatMoney = (cents: number): string => usd.format(cents / 100);

/** The collector speaks decimal amounts with at most two places; inside the store everything is cents. */
export const toCents = (amount: number): number => Math.round(amount * 100);
export const toDecimal = (cents: number): number => cents / 100;
