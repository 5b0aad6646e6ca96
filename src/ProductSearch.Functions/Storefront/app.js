// The storefront demo: a category's products as a grid; a product or a dropped photo shows its nearest
// neighbours. Plain ES module, no build step. The API lives one folder up from the page (/api/).
const api = new URL('../', document.baseURI);
const keyStore = 'productSearch.functionKey';
const pageSize = 48;

const $ = (id) => document.getElementById(id);
const ui = {
  category: $('category'), top: $('top'), key: $('key'), drop: $('drop'), photo: $('photo'),
  status: $('status'), catalogue: $('catalogue'), count: $('count'), more: $('more'), keyPanel: $('key-panel'),
  empty: $('empty'), emptyNoCategories: $('empty-no-categories'), emptyNoKey: $('empty-no-key'),
  similar: $('similar'), similarGrid: $('similar-grid'), queryImage: $('query-image'),
  queryLabel: $('query-label'), closeSimilar: $('close-similar'), everyPhoto: $('every-photo'), colour: $('colour'),
};

let shown = 0;
let lastQuery = null; // { product } or { file }, re-run when N changes.
let queryPreview = null;

// Every call goes through here: the optional key as a header (never in the URL), problems as messages.
async function call(path, init = {}) {
  const headers = new Headers(init.headers);
  const key = localStorage.getItem(keyStore);
  if (key) headers.set('x-functions-key', key);
  const response = await fetch(new URL(path, api), { ...init, headers });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const why = body?.detail ?? body?.title ?? response.statusText;
    const error = new Error(response.status === 401 ? 'The API needs a function key: open "API key" above.' : why);
    error.status = response.status;
    throw error;
  }
  return body;
}

function say(text, isError = false) {
  ui.status.textContent = text;
  ui.status.classList.toggle('error', isError);
}

const category = () => ui.category.value;
// One image per product (the API's default) unless every photo is asked for; by id, the query's own product is left out.
// The colour weight goes only once the shopper has moved the slider: until then the server's default applies.
const searchQuery = () => `top=${ui.top.value}&group=${ui.everyPhoto.checked ? 'image' : 'product'}`
  + (ui.colour.dataset.moved ? `&colour=${ui.colour.value}` : '');
const segment = (value) => encodeURIComponent(value);

function tile(product) {
  const li = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'tile';
  button.dataset.id = product.id;
  button.title = product.id;
  const img = document.createElement('img');
  img.loading = 'lazy';
  img.alt = product.productId;
  img.src = product.thumbnailUrl || product.imageUrl;
  img.addEventListener('error', () => img.classList.add('broken'), { once: true });
  const caption = document.createElement('span');
  caption.className = 'caption';
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = product.productId;
  caption.append(name);
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
  return li;
}

// Nothing to browse (no categories, or no key to ask with): say what to do next, and leave no control that
// cannot work. kind: 'no-categories', 'no-key', or null once there is a catalogue.
function showEmpty(kind) {
  ui.empty.hidden = !kind;
  ui.emptyNoCategories.hidden = kind !== 'no-categories';
  ui.emptyNoKey.hidden = kind !== 'no-key';
  ui.photo.disabled = Boolean(kind);
  ui.drop.classList.toggle('disabled', Boolean(kind));
  if (kind) {
    ui.catalogue.replaceChildren();
    ui.count.textContent = '';
    ui.more.hidden = true;
    closeSimilar();
  }
  if (kind === 'no-key') {
    ui.keyPanel.open = true;
    ui.key.focus();
  }
}

async function loadCategories() {
  try {
    const { categories } = await call('categories');
    ui.category.replaceChildren(...categories.map((c) => new Option(c, c)));
    ui.category.disabled = categories.length === 0;
    if (categories.length === 0) {
      ui.category.replaceChildren(new Option('none yet'));
      showEmpty('no-categories');
      say('No categories yet: upload photos to start.');
      return;
    }
    showEmpty(null);
    const wanted = decodeURIComponent(location.hash.slice(1));
    if (categories.includes(wanted)) ui.category.value = wanted;
    await loadProducts(true);
  } catch (e) {
    ui.category.replaceChildren(new Option('—'));
    ui.category.disabled = true;
    showEmpty(e.status === 401 ? 'no-key' : null);
    say(e.message, true);
  }
}

async function loadProducts(reset) {
  if (reset) {
    shown = 0;
    ui.catalogue.replaceChildren();
    closeSimilar();
    history.replaceState(null, '', '#' + segment(category()));
  }
  say('Loading products…');
  try {
    const page = await call(`categories/${segment(category())}/products?skip=${shown}&take=${pageSize}`);
    ui.catalogue.append(...page.products.map((p) => tile(p)));
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
  const what = ui.everyPhoto.checked ? 'photos' : 'products';
  say(result.results.length ? `${result.results.length} most similar ${what} in ${result.category}, nearest first.` : 'Nothing similar enough.');
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
    showSimilar(result, product.thumbnailUrl || product.imageUrl, product.productId);
  } catch (e) {
    say(e.message, true);
  }
}

async function similarToPhoto(file) {
  if (!file) return;
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
// Re-query as the slider moves, at most one request per pause in the movement.
let colourTimer = 0;
ui.colour.addEventListener('input', () => {
  ui.colour.dataset.moved = 'true';
  clearTimeout(colourTimer);
  colourTimer = setTimeout(searchAgain, 120);
});

ui.key.value = localStorage.getItem(keyStore) ?? '';
ui.key.addEventListener('change', () => {
  const key = ui.key.value.trim();
  if (key) localStorage.setItem(keyStore, key);
  else localStorage.removeItem(keyStore);
  loadCategories();
});

loadCategories();
