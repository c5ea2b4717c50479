// Where each share button sends the advocate's link: the channel as track/share records it, and its share URL.

export interface Channel {
  /** the button's accessible name */
  name: string;
  /** track/share's channel */
  channel: string;
  url(link: string, text: string): string;
}

const q = encodeURIComponent;

export const CHANNELS: Channel[] = [
  { name: 'Share by email', channel: 'email', url: (link, text) => `mailto:?subject=${q(text)}&body=${q(`${text} ${link}`)}` },
  { name: 'Share on WhatsApp', channel: 'whatsapp', url: (link, text) => `https://wa.me/?text=${q(`${text} ${link}`)}` },
  { name: 'Share on X', channel: 'x', url: (link, text) => `https://x.com/intent/tweet?text=${q(text)}&url=${q(link)}` },
  { name: 'Share on Facebook', channel: 'facebook', url: (link) => `https://www.facebook.com/sharer/sharer.php?u=${q(link)}` },
  { name: 'Share on LinkedIn', channel: 'linkedin', url: (link) => `https://www.linkedin.com/sharing/share-offsite/?url=${q(link)}` },
];

