// <similar-products category="men-tees" product="ms01-blue_main.jpg" top="4"></similar-products>
// <similar-products category="men-tees" photo-drop></similar-products>  (the shopper drops or chooses a photo)
// <similar-products category="men-tees" product="ms01-blue_main.jpg" filter="instock = true"></similar-products>
//
// The widget a shop pastes into its product pages with one tag:
//   <script type="module" src="https://<app>/api/storefront/similar-products.js"></script>
// It asks the app for the products most like one product and shows them as linked tiles. The API is found beside
// this file (…/api/storefront/similar-products.js -> …/api/), so the tag is the only thing a shop configures; the
// reads it makes are anonymous, so it holds no secret. The page's origin must be in the app's CORS list.
const api = new URL('../', import.meta.url);

const defaultTop = 4;
const maxTop = 24;
const defaultHeading = 'You may also like';
const defaultPhotoHeading = 'Find it by photo';

const styles = `
:host {
  display: block; container-type: inline-size;
  --_accent: var(--similar-products-accent, #0f766e);
  --_line: var(--similar-products-line, #e7e5e4);
  --_muted: var(--similar-products-muted, #78716c);
  --_radius: var(--similar-products-radius, 12px);
}
:host([hidden]) { display: none; }
h2 { margin: 0 0 .75rem; font-size: 1.1rem; font-weight: 650; }
ul {
  list-style: none; margin: 0; padding: 0; display: grid; gap: .75rem;
  grid-template-columns: repeat(auto-fill, minmax(var(--similar-products-tile-width, 10rem), 1fr));
}
@container (max-width: 26rem) { ul { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: .5rem; } }
a {
  display: block; height: 100%; color: inherit; text-decoration: none; border-radius: var(--_radius); overflow: hidden;
  background: var(--similar-products-card, #fff); box-shadow: 0 0 0 1px var(--_line);
  transition: box-shadow .12s, transform .12s;
}
a:hover { transform: translateY(-2px); box-shadow: 0 6px 18px rgb(0 0 0 / .10), 0 0 0 1px var(--_line); }
a:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
@media (prefers-reduced-motion: reduce) { a, a:hover { transition: none; transform: none; } }
img, .placeholder { display: block; width: 100%; height: auto; aspect-ratio: 4 / 5; object-fit: contain; background: #fff; }
.placeholder { background: linear-gradient(90deg, #f5f5f4, #e7e5e4, #f5f5f4); }
.name { display: block; padding: .45rem .6rem .55rem; font-size: .85rem; overflow-wrap: anywhere; }
.price { display: block; margin-top: -.35rem; padding: 0 .6rem .55rem; font-size: .85rem; font-weight: 600; font-variant-numeric: tabular-nums; }
.drop {
  position: relative; display: flex; align-items: center; justify-content: center; min-height: 3rem; margin-bottom: .75rem;
  padding: .6rem 1rem; text-align: center; font-size: .9rem; color: var(--_muted); cursor: pointer;
  border: 2px dashed var(--_line); border-radius: var(--_radius);
}
.drop strong { color: var(--_accent); }
.drop.over { border-color: var(--_accent); }
.drop:focus-within { outline: 2px solid var(--_accent); outline-offset: 2px; }
.drop input { position: absolute; width: 1px; height: 1px; opacity: 0; }
.message { margin: 0; padding: .9rem 1rem; font-size: .9rem; color: var(--_muted); border-radius: var(--_radius); box-shadow: 0 0 0 1px var(--_line); }
`;

class SimilarProducts extends HTMLElement {
  static observedAttributes = ['category', 'product', 'top', 'href', 'heading', 'photo-drop', 'filter'];

  #root = this.attachShadow({ mode: 'open' });
  #request = null;
  #scheduled = false;
  #drop = null;

  connectedCallback() { this.#schedule(); }

  disconnectedCallback() { this.#request?.abort(); }

  // Several attributes set one after another (a framework rendering the tag) cost one request.
  attributeChangedCallback() { if (this.isConnected) this.#schedule(); }

  get #photoDrop() { return this.hasAttribute('photo-drop'); }

  get #top() { return Math.min(Math.max(Number.parseInt(this.getAttribute('top'), 10) || defaultTop, 1), maxTop); }

  // The query string: N, and the shop's filter (for example "instock = true"), which the API applies before ranking.
  get #query() {
    const filter = this.getAttribute('filter')?.trim();
    return `top=${this.#top}` + (filter ? `&filter=${encodeURIComponent(filter)}` : '');
  }

  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => { this.#scheduled = false; this.#load(); });
  }

  #load() {
    this.#request?.abort();
    const category = this.getAttribute('category');
    const product = this.getAttribute('product');
    if (this.#photoDrop && category) {
      this.#show('ready');
      return;
    }
    if (!category || !product) {
      this.#show('error');
      console.warn('similar-products: set category and product (or photo-drop), e.g. <similar-products category="men-tees" product="ms01-blue_main.jpg">.');
      return;
    }
    const url = new URL(`categories/${encodeURIComponent(category)}/products/${encodeURIComponent(product)}/similar?${this.#query}`, api);
    // No custom header and no credentials: a simple CORS request, no preflight, nothing of the shopper's sent.
    this.#ask(url, {}, `${category}/${product} is not in the catalogue`);
  }

  // The photo-drop variant: the shopper's own photo, sent as it is (its type makes this a CORS request with a preflight).
  #searchByPhoto(file) {
    if (!file) return;
    if (file.type && !file.type.startsWith('image/')) {
      this.#show('error', `${file.name} is not a photo: choose a JPEG, PNG or WebP image.`);
      return;
    }
    const url = new URL(`categories/${encodeURIComponent(this.getAttribute('category'))}/similar?${this.#query}`, api);
    this.#ask(url, { method: 'POST', body: file, headers: { 'Content-Type': file.type || 'application/octet-stream' } }, `the category is not in the catalogue`);
  }

  async #ask(url, init, notFound) {
    this.#request?.abort();
    const request = this.#request = new AbortController();
    this.#show('loading', this.#top);
    let response;
    try {
      response = await fetch(url, { ...init, signal: request.signal, credentials: 'omit', headers: { Accept: 'application/json', ...init.headers } });
    } catch (e) {
      if (request.signal.aborted) return;
      this.#show('error');
      console.warn(`similar-products: ${url} could not be read (${e.message}). Is this page's origin, ${location.origin}, in the app's allowed CORS origins?`);
      return;
    }

    const body = await response.json().catch(() => null);
    if (request.signal.aborted) return;
    if (response.status === 404) {
      // A product not indexed yet (or a mistyped name): the shopper sees the empty state, the developer why.
      this.#show('empty');
      console.warn(`similar-products: ${body?.detail ?? notFound}`);
    } else if (!response.ok || !Array.isArray(body?.results)) {
      // A photo the API cannot use (413, 415, 400 "Unusable image") is the shopper's to fix; anything else, a malformed
      // filter attribute included, is not.
      const photoProblem = init.method === 'POST' && (response.status === 413 || response.status === 415 || body?.title === 'Unusable image');
      this.#show('error', photoProblem ? 'That photo could not be used: choose a JPEG, PNG or WebP photo.' : undefined);
      console.warn(`similar-products: ${url} answered ${response.status}${body?.detail ? `: ${body.detail}` : ''}`);
    } else if (body.results.length) {
      this.#show('results', body.results);
    } else {
      this.#show('empty');
    }
  }

  // One of ready (photo-drop, before a photo), loading, results, empty or error, also set as the host's state
  // attribute for the shop's own CSS. content: the placeholder count, the results, or a message.
  #show(state, content) {
    this.setAttribute('state', state);
    const style = document.createElement('style');
    style.textContent = styles;
    const section = document.createElement('section');
    section.setAttribute('part', 'section');
    section.setAttribute('aria-busy', String(state === 'loading'));
    const heading = document.createElement('h2');
    heading.setAttribute('part', 'heading');
    heading.id = 'heading';
    heading.textContent = this.getAttribute('heading') ?? (this.#photoDrop ? defaultPhotoHeading : defaultHeading);
    section.setAttribute('aria-labelledby', heading.id);
    section.append(heading);
    if (this.#photoDrop) section.append(this.#dropZone());
    if (state === 'loading' || state === 'results') {
      const list = document.createElement('ul');
      list.setAttribute('part', 'list');
      list.append(...(state === 'loading' ? Array.from({ length: content }, () => this.#placeholder()) : content.map((r) => this.#tile(r))));
      section.append(list);
    } else if (state !== 'ready') {
      const message = document.createElement('p');
      message.className = 'message';
      message.setAttribute('part', 'message');
      message.setAttribute('role', 'status');
      message.textContent = content ?? (state === 'empty' ? 'No similar products yet.' : 'Similar products could not be loaded right now.');
      section.append(message);
    }
    this.#root.replaceChildren(style, section);
  }

  // Made once and kept across renders, so a shopper's focus and a drag in progress survive a new answer.
  #dropZone() {
    if (this.#drop) return this.#drop;
    const zone = this.#drop = document.createElement('label');
    zone.className = 'drop';
    zone.setAttribute('part', 'drop');
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = 'image/jpeg,image/png,image/webp';
    input.addEventListener('change', () => { this.#searchByPhoto(input.files[0]); input.value = ''; });
    const text = document.createElement('span');
    text.innerHTML = '<strong>Drop a photo</strong> or choose one to find products that look like it';
    zone.append(input, text);
    for (const type of ['dragenter', 'dragover']) {
      zone.addEventListener(type, (e) => { e.preventDefault(); zone.classList.add('over'); });
    }
    zone.addEventListener('dragleave', () => zone.classList.remove('over'));
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      zone.classList.remove('over');
      this.#searchByPhoto(e.dataTransfer?.files[0]);
    });
    return zone;
  }

  #placeholder() {
    const item = document.createElement('li');
    item.setAttribute('aria-hidden', 'true');
    const box = document.createElement('span');
    box.className = 'placeholder';
    item.append(box);
    return item;
  }

  #tile(result) {
    const card = result.product ?? {};
    const item = document.createElement('li');
    item.setAttribute('part', 'tile');
    const link = document.createElement('a');
    link.setAttribute('part', 'link');
    link.href = this.#link(result);
    const image = document.createElement('img');
    image.setAttribute('part', 'image');
    image.src = result.thumbnailUrl || result.imageUrl;
    image.alt = card.title ?? result.productId;
    image.loading = 'lazy';
    image.decoding = 'async';
    image.width = 320;
    image.height = 400;
    const name = document.createElement('span');
    name.className = 'name';
    name.setAttribute('part', 'name');
    name.setAttribute('aria-hidden', 'true'); // the image's alt already names the link
    name.textContent = card.title ?? result.productId;
    link.append(image, name);
    if (card.price) {
      const price = document.createElement('span');
      price.className = 'price';
      price.setAttribute('part', 'price');
      price.textContent = priceText(card);
      link.append(price);
    }
    item.append(link);
    return item;
  }

  // href="/products/{productId}" links each tile to the shop's own product page; without it, to the product page the
  // catalogue gives (its url), else to the product's photo.
  #link(result) {
    const template = this.getAttribute('href');
    if (!template) return result.product?.url ?? result.imageUrl;
    const values = { productId: result.productId, id: result.mainImageId ?? result.id };
    return new URL(template.replace(/\{(productId|id)\}/g, (_, key) => encodeURIComponent(values[key])), document.baseURI).href;
  }
}

// A price as the shop wrote it, in the shopper's number format when the currency is known.
function priceText({ price, currency }) {
  if (!currency) return price;
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(Number(price));
  } catch {
    return `${price} ${currency}`;
  }
}

if (!customElements.get('similar-products')) customElements.define('similar-products', SimilarProducts);
