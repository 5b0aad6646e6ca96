// The storefront demo: a category's products as a grid; a product or a dropped photo shows its nearest
// neighbours. Plain ES module, no build step. The API lives one folder up from the page (/api/), and the reads
// it makes are anonymous: the page holds no key.
const api = new URL('../', document.baseURI);
const pageSize = 48;

const $ = (id) => document.getElementById(id);
const ui = {
  category: $('category'), top: $('top'), drop: $('drop'), photo: $('photo'),
  status: $('status'), alert: $('alert'), alertText: $('alert-text'), closeAlert: $('close-alert'),
  catalogue: $('catalogue'), count: $('count'), more: $('more'), empty: $('empty'),
  similar: $('similar'), similarGrid: $('similar-grid'), queryImage: $('query-image'),
  queryLabel: $('query-label'), closeSimilar: $('close-similar'), everyPhoto: $('every-photo'), colour: $('colour'),
  filters: $('filters'), inStock: $('in-stock'), inStockToggle: $('in-stock-toggle'), labelFilter: $('label-filter'),
};

// The label a shop sets to say a product can be bought now (docs/products.md); the "In stock only" box filters on it.
const inStockLabel = 'instock';

let shown = 0;
let lastQuery = null; // { product } or { file }, re-run when N changes.
let queryPreview = null;
let labelsSeen = new Map(); // key -> Set of values, from the products listed so far: what the chooser offers.

// Every call goes through here: problems (RFC 9457 bodies) as messages.
async function call(path, init = {}) {
  const response = await fetch(new URL(path, api), init);
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error(body?.detail ?? body?.title ?? `The API answered ${response.status} ${response.statusText}.`);
    error.status = response.status;
    throw error;
  }
  return body;
}

// Progress goes to the status line; an error also to the alert pinned to the bottom of the window, since the
// status line may be scrolled away or under the sticky header when it happens. The next message clears it.
function say(text, isError = false) {
  ui.status.textContent = text;
  ui.status.classList.toggle('error', isError);
  ui.alertText.textContent = isError ? text : '';
  ui.alert.hidden = !isError;
}

const category = () => ui.category.value;
// One image per product (the API's default) unless every photo is asked for; by id, the query's own product is left out.
// The colour weight goes only once the shopper has moved the slider: until then the server's default applies.
const searchQuery = () => `top=${ui.top.value}&group=${ui.everyPhoto.checked ? 'image' : 'product'}`
  + (ui.colour.dataset.moved ? `&colour=${ui.colour.value}` : '')
  + (filterText() ? `&filter=${encodeURIComponent(filterText())}` : '');

// The filter in the API's syntax (`key = "value" AND ...`); the server answers the true nearest N among the products
// that match, so filtering here would return fewer.
const quoted = (value) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
function filterText() {
  const clauses = [];
  if (ui.inStock.checked) clauses.push(`${inStockLabel} = true`);
  if (ui.labelFilter.value) clauses.push(ui.labelFilter.value);
  return clauses.join(' AND ');
}

// Offers every label met in the listing (but the in-stock one, which has its own box), keeping the current choice.
function rememberLabels(products) {
  for (const { product } of products) {
    for (const [key, value] of Object.entries(product?.labels ?? {})) {
      if (!labelsSeen.has(key)) labelsSeen.set(key, new Set());
      labelsSeen.get(key).add(value);
    }
  }
  const chosen = ui.labelFilter.value;
  const options = [new Option('any', '')];
  for (const key of [...labelsSeen.keys()].filter((k) => k !== inStockLabel).sort()) {
    for (const value of [...labelsSeen.get(key)].sort()) options.push(new Option(`${key}: ${value}`, `${key} = ${quoted(value)}`));
  }
  ui.labelFilter.replaceChildren(...options);
  ui.labelFilter.value = options.some((o) => o.value === chosen) ? chosen : '';
  ui.labelFilter.parentElement.hidden = options.length === 1;
  ui.inStockToggle.hidden = !labelsSeen.has(inStockLabel);
  ui.filters.hidden = options.length === 1 && !labelsSeen.has(inStockLabel);
}
const segment = (value) => encodeURIComponent(value);

// A price as the shop wrote it, in the shopper's number format when the currency is known.
function priceText({ price, currency }) {
  if (!price) return '';
  if (!currency) return price;
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(Number(price));
  } catch {
    return `${price} ${currency}`;
  }
}

// A tile is a product card when the shop gave the product a title, price or page, the photo and its id otherwise.
function tile(product) {
  const card = product.product ?? {};
  const li = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'tile';
  button.dataset.id = product.id;
  button.title = product.id;
  const img = document.createElement('img');
  img.loading = 'lazy';
  img.alt = card.title ?? product.productId;
  img.src = product.thumbnailUrl || product.imageUrl;
  img.addEventListener('error', () => img.classList.add('broken'), { once: true });
  const caption = document.createElement('span');
  caption.className = 'caption';
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = card.title ?? product.productId;
  caption.append(name);
  if (card.price) {
    const price = document.createElement('span');
    price.className = 'price';
    price.textContent = priceText(card);
    caption.append(price);
  }
  if (product.photos > 1) {
    const photos = document.createElement('span');
    photos.className = 'photos';
    photos.textContent = `${product.photos} photos`;
    caption.append(photos);
  }
  if (product.distance !== undefined) {
    const d = document.createElement('span');
    d.className = 'distance';
    d.textContent = (product.nearDuplicate ? 'same photo · ' : '') + product.distance.toFixed(3);
    d.title = `Distance ${product.distance.toFixed(4)} (0 is identical, 2 is opposite); similarity ${Math.round(product.similarity * 100)}%`;
    caption.append(d);
  }
  button.append(img, caption);
  button.addEventListener('click', () => similarToProduct(product));
  li.append(button);
  // The product page is a link beside the tile, not inside it: a button cannot hold a link.
  if (card.url) {
    const link = document.createElement('a');
    link.className = 'product-link';
    link.href = card.url;
    link.target = '_blank';
    link.rel = 'noopener';
    link.textContent = 'Product page';
    link.setAttribute('aria-label', `${card.title ?? product.productId}: product page`);
    li.append(link);
  }
  return li;
}

// Nothing to browse (no categories yet, or the API failed): say what to do next where there is something to say,
// and leave no control that cannot work.
function showEmpty(nothingYet, unusable = nothingYet) {
  ui.empty.hidden = !nothingYet;
  ui.photo.disabled = unusable;
  ui.drop.classList.toggle('disabled', unusable);
  if (unusable) {
    ui.catalogue.replaceChildren();
    ui.count.textContent = '';
    ui.more.hidden = true;
    closeSimilar();
  }
}

async function loadCategories() {
  try {
    const { categories } = await call('categories');
    ui.category.replaceChildren(...categories.map((c) => new Option(c, c)));
    ui.category.disabled = categories.length === 0;
    if (categories.length === 0) {
      ui.category.replaceChildren(new Option('none yet'));
      showEmpty(true);
      say('No categories yet: upload photos to start.');
      return;
    }
    showEmpty(false);
    const wanted = decodeURIComponent(location.hash.slice(1));
    if (categories.includes(wanted)) ui.category.value = wanted;
    await loadProducts(true);
  } catch (e) {
    ui.category.replaceChildren(new Option('—'));
    ui.category.disabled = true;
    showEmpty(false, true);
    say(e.message, true);
  }
}

async function loadProducts(reset) {
  if (reset) {
    shown = 0;
    labelsSeen = new Map();
    ui.catalogue.replaceChildren();
    closeSimilar();
    history.replaceState(null, '', '#' + segment(category()));
  }
  say('Loading products…');
  try {
    const page = await call(`categories/${segment(category())}/products?skip=${shown}&take=${pageSize}`);
    ui.catalogue.append(...page.products.map((p) => tile(p)));
    rememberLabels(page.products);
    shown += page.products.length;
    const photos = page.images !== page.total ? ` · ${page.images} photos` : '';
    ui.count.textContent = `${page.total} products${photos}`;
    ui.more.hidden = shown >= page.total;
    say('Pick a product to see what looks like it, or drop a photo.');
  } catch (e) {
    ui.count.textContent = '';
    ui.more.hidden = true;
    say(e.message, true);
  }
}

function showSimilar(result, imageUrl, label) {
  ui.queryImage.src = imageUrl;
  // The weight the server applied: 0 when the category has no colour yet, whatever was asked.
  if (!ui.colour.dataset.moved) ui.colour.value = result.colour;
  const shapeOnly = ui.colour.dataset.moved && result.colour === 0 && Number(ui.colour.value) > 0;
  ui.queryLabel.textContent = `${label} · ${result.searched} compared · ${result.model}`
    + (shapeOnly ? ' · shape only: this category has no colour yet' : ` · colour ${result.colour}`);
  ui.similarGrid.replaceChildren(...result.results.map((r) => tile(r)));
  ui.similar.hidden = false;
  const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
  ui.similar.scrollIntoView({ behavior: still ? 'auto' : 'smooth', block: 'start' });
  const what = (ui.everyPhoto.checked ? 'photos' : 'products') + (filterText() ? ' that match the filter' : '');
  say(result.results.length ? `${result.results.length} most similar ${what} in ${result.category}, nearest first.`
    : result.warnings?.[0] ?? (filterText() ? 'No product matches the filter.' : 'Nothing similar enough.'));
}

function markSelected(id) {
  for (const t of document.querySelectorAll('.tile.selected')) t.classList.remove('selected');
  if (id) for (const t of ui.catalogue.querySelectorAll('.tile')) if (t.dataset.id === id) t.classList.add('selected');
}

async function similarToProduct(product) {
  lastQuery = { product };
  markSelected(product.id);
  say('Searching…');
  try {
    const result = await call(`categories/${segment(category())}/products/${segment(product.id)}/similar?${searchQuery()}`);
    showSimilar(result, product.thumbnailUrl || product.imageUrl, product.product?.title ?? product.productId);
  } catch (e) {
    say(e.message, true);
  }
}

async function similarToPhoto(file) {
  if (!file) return;
  // A file the browser knows is not an image (a PDF, a text file) is answered here, without a round trip.
  if (file.type && !file.type.startsWith('image/')) {
    say(`${file.name} is not a photo: choose a JPEG, PNG or WebP image.`, true);
    return;
  }
  lastQuery = { file };
  markSelected(null);
  say(`Searching for ${file.name}…`);
  try {
    const result = await call(`categories/${segment(category())}/similar?${searchQuery()}`, {
      method: 'POST', body: file, headers: { 'Content-Type': file.type || 'application/octet-stream' },
    });
    if (queryPreview) URL.revokeObjectURL(queryPreview);
    queryPreview = URL.createObjectURL(file);
    showSimilar(result, queryPreview, `Your photo: ${file.name}`);
  } catch (e) {
    say(e.message, true);
  }
}

function closeSimilar() {
  ui.similar.hidden = true;
  lastQuery = null;
  markSelected(null);
}

// A photo dropped anywhere on the page searches; the drop zone lights up while one is dragged over.
for (const type of ['dragenter', 'dragover']) {
  document.addEventListener(type, (e) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    ui.drop.classList.add('over');
  });
}
document.addEventListener('dragleave', (e) => { if (!e.relatedTarget) ui.drop.classList.remove('over'); });
document.addEventListener('drop', (e) => {
  e.preventDefault();
  ui.drop.classList.remove('over');
  if (ui.photo.disabled) return; // nothing to search in yet
  similarToPhoto(e.dataTransfer?.files[0]);
});

ui.photo.addEventListener('change', () => {
  similarToPhoto(ui.photo.files[0]);
  ui.photo.value = ''; // The same file again still fires 'change'.
});
ui.category.addEventListener('change', () => loadProducts(true));
ui.more.addEventListener('click', () => loadProducts(false));
ui.closeSimilar.addEventListener('click', closeSimilar);
const searchAgain = () => {
  if (lastQuery?.product) similarToProduct(lastQuery.product);
  else if (lastQuery?.file) similarToPhoto(lastQuery.file);
};
ui.top.addEventListener('change', searchAgain);
ui.everyPhoto.addEventListener('change', searchAgain);
ui.inStock.addEventListener('change', searchAgain);
ui.labelFilter.addEventListener('change', searchAgain);
// Re-query as the slider moves, at most one request per pause in the movement.
let colourTimer = 0;
ui.colour.addEventListener('input', () => {
  ui.colour.dataset.moved = 'true';
  clearTimeout(colourTimer);
  colourTimer = setTimeout(searchAgain, 120);
});

ui.closeAlert.addEventListener('click', () => { ui.alert.hidden = true; });

loadCategories();
