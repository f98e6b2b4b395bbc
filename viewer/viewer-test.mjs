// Drives the OHIF viewer served by a running livernode node in headless Chromium (Debian's /usr/bin/chromium
// through playwright-core) and records what it sees; ViewerIT starts the node, runs this script and judges the
// record against the SEG file itself.
//
// Usage: node viewer/viewer-test.mjs REQUEST.json
//   REQUEST.json: { "base": "http://127.0.0.1:PORT", "user": U, "password": P, "study": UID, "images": number of CT images,
//                   "slices": [CT SOP Instance UIDs to screenshot], "out": DIR }
// Starts at the node's study list (/), which sends it to the login form first (signs in as user/password), opens the study through its link, reloads that deep link, loads the SEG.
// Writes into DIR: before-N.png / after-N.png (the viewer at slice N of "slices" without and with the SEG loaded),
// study-list.png, viewer.png (the first slice with the SEG, as in the README) and observations.json:
//   stack: for every image of the viewport, its SOP Instance UID and the labelmap OHIF made of the SEG there
//          (liver pixel count and centroid, in image columns/rows);
//   shots: per slice, the screenshots and where image pixels land on them (page = origin + col*colStep + row*rowStep);
//   segmentations: labels and segments; statistics: cornerstone's volume (mm3) and mean HU of segment 1;
//   studyListRow, viewerUrl: the study's row in the study list, the viewer's address after the reload;
//   problems: same-origin HTTP errors, requests to other origins, page errors (up to the SR step);
//   sr: what OHIF shows for the node's SR (thumbnail, viewport and Measurements panel text), srProblems: the
//       problems while it was open; screenshots sr.png and sr-measurements.png.
import fs from 'node:fs';
import path from 'node:path';
import { launch, signIn } from './signed-in-browser.mjs';

const request = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const { base, user, password, study, images, slices, out } = request;
fs.mkdirSync(out, { recursive: true });
const started = Date.now();
const log = (...a) => console.log(`viewer-test ${((Date.now() - started) / 1000).toFixed(1)}s:`, ...a);

const problems = [];
const { context, close } = await launch({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });

try {
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(90_000);
  page.on('pageerror', e => problems.push(`page error: ${e.message}`));
  page.on('request', r => {
    if (!r.url().startsWith(base) && !/^(data|blob):/.test(r.url())) problems.push(`request to another origin: ${r.url()}`);
  });
  page.on('response', r => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
  });

  // The node's study list: the study's row, then its link into the viewer; a reload of that deep link must
  // bring the viewer back (the node answers OHIF's routes with its index.html).
  // Without a session the node sends the browser to its login form, which brings it back to the study list.
  await signIn(page, base, '/', user, password);
  const row = page.locator(`tr[data-study="${study}"]`);
  await row.locator('a.open').waitFor();
  const studyListRow = await row.innerText();
  await page.screenshot({ path: path.join(out, 'study-list.png') });
  await row.locator('a.open').click();
  await page.waitForURL(/\/viewer\/viewer\?StudyInstanceUIDs=/);
  // OHIF's first-visit tour and its "investigational use" banner cover the viewport: dismiss both (OHIF
  // remembers that), then reload the deep link.
  await page.getByText('Skip all').click();
  await page.getByText('Confirm and hide').click();
  log('viewer opened from the study list, tour and banner dismissed');
  await page.reload();
  const viewerUrl = page.url();
  // The CT series in the viewport, its first image shown.
  await page.waitForFunction(n => {
    const vp = window.cornerstone?.getRenderingEngines().flatMap(e => e.getViewports()).find(v => v.type === 'stack');
    return vp && vp.getImageIds().length === n && vp.getImageData?.();
  }, images, { polling: 500 });
  for (const dismiss of ['Skip all', 'Confirm and hide']) {
    if (await page.getByText(dismiss).isVisible()) {
      log(`"${dismiss}" shown again after the reload`);
      await page.getByText(dismiss).click();
    }
  }
  log('CT stack loaded');

  const shots = [];
  for (let n = 0; n < slices.length; n++) {
    shots.push({ sop: slices[n], before: await shoot(page, slices[n], `before-${n}.png`) });
  }

  // Load the SEG: double-click its series in the study browser and answer OHIF's prompt.
  await page.locator(`[data-series]`, { hasText: 'SEG' }).first().dblclick();
  await page.getByText('Do you want to open this Segmentation?').waitFor();
  await page.getByRole('button', { name: 'Yes' }).click();
  await page.waitForFunction(() => {
    const segs = window.cornerstoneTools?.segmentation.state.getSegmentations() || [];
    const ids = segs[0]?.representationData?.Labelmap?.imageIds || [];
    return ids.length > 0 && ids.every(id => window.cornerstone.cache.getImage(id));
  }, null, { polling: 500 });
  await page.waitForTimeout(1500);
  log('SEG loaded');

  for (let n = 0; n < slices.length; n++) {
    shots[n].after = await shoot(page, slices[n], `after-${n}.png`);
  }
  if (shots.length > 0) {
    fs.copyFileSync(path.join(out, shots[0].after.file), path.join(out, 'viewer.png'));
  }

  // Cornerstone's statistics of the segment over the CT (what OHIF's segmentation panel shows): volume, mean HU.
  const statistics = await page.evaluate(async () => {
    const ct = window.cornerstoneTools;
    const segmentationId = ct.segmentation.state.getSegmentations()[0].segmentationId;
    const s = await ct.utilities.segmentation.getStatistics({ segmentationId, segmentIndices: [1], mode: 'individual' });
    return { volumeMm3: s?.[1]?.volume?.value ?? null, meanHu: s?.[1]?.mean?.value ?? null };
  });
  const observed = await page.evaluate(() => {
    const cs = window.cornerstone;
    const vp = cs.getRenderingEngines().flatMap(e => e.getViewports()).find(v => v.type === 'stack');
    const segs = window.cornerstoneTools.segmentation.state.getSegmentations();
    const labelmap = segs[0].representationData.Labelmap;
    const byReferenced = new Map(labelmap.referencedImageIds.map((ref, i) => [ref, labelmap.imageIds[i]]));
    const sopOf = id => (id.match(/\/instances\/([^/]+)\//) || [])[1];
    const stack = vp.getImageIds().map((id, index) => {
      const mapId = byReferenced.get(id);
      const image = mapId && cs.cache.getImage(mapId);
      if (!image) return { index, sop: sopOf(id), labelmap: null };
      const px = image.getPixelData();
      let count = 0, sumC = 0, sumR = 0;
      for (let i = 0; i < px.length; i++) {
        if (px[i] !== 0) { count++; sumC += i % image.columns; sumR += Math.floor(i / image.columns); }
      }
      return { index, sop: sopOf(id), labelmap: { rows: image.rows, columns: image.columns, count,
        centroid: count ? [sumC / count, sumR / count] : null } };
    });
    const segmentations = segs.map(s => ({ label: s.label,
      segments: Object.values(s.segments).map(g => ({ index: g.segmentIndex, label: g.label })) }));
    return { stack, segmentations };
  });
  const problemsBeforeSr = problems.splice(0);
  const sr = await openSr(page);
  const srProblems = problems.splice(0);
  problems.push(...problemsBeforeSr);
  const result = { ...request, studyListRow, viewerUrl, ...observed, statistics, shots, problems, sr, srProblems,
    seconds: (Date.now() - started) / 1000 };
  fs.writeFileSync(path.join(out, 'observations.json'), JSON.stringify(result, null, 1));
  log(`done: ${observed.stack.length} images, ${observed.segmentations.length} segmentation(s), ${problems.length} problem(s)`);
} finally {
  await close();
}

/**
 * Opens the node's SR (TID 1500 liver volume report) from the study browser as a user would (double-click its
 * series) and records what OHIF shows: the SR's thumbnail, the viewport's text, the Measurements panel's text,
 * screenshots sr.png and sr-measurements.png. Never throws: a step that fails is recorded in "error".
 */
async function openSr(page) {
  const seen = { thumbnail: null, viewport: null, measurementsPanel: null, error: null };
  try {
    const thumbnail = page.locator('[data-series]', { hasText: 'SR' }).first();
    await thumbnail.waitFor({ timeout: 30_000 });
    seen.thumbnail = await thumbnail.innerText();
    await thumbnail.dblclick();
    await page.waitForTimeout(5000);
    for (const answer of ['Yes', 'Track']) {
      const button = page.getByRole('button', { name: answer, exact: true });
      if (await button.isVisible()) {
        seen.prompt = await page.locator('body').innerText().then(t => t.slice(0, 2000));
        await button.click();
        await page.waitForTimeout(3000);
      }
    }
    await page.screenshot({ path: path.join(out, 'sr.png') });
    seen.viewport = await page.locator('[data-cy="viewport-grid"], .viewport-wrapper').first().innerText()
      .catch(e => `(no viewport text: ${e.message})`);
    // The right side panel is collapsed: open its measurements tab (OHIF names the button after the panel).
    const tab = page.locator('[data-cy="trackedMeasurements-btn"], [data-cy="panelMeasurement-btn"]').first();
    seen.measurementsTab = await tab.count() > 0;
    if (seen.measurementsTab) {
      await tab.click();
      await page.waitForTimeout(3000);
    }
    seen.measurementsPanel = await page.locator('[data-cy="trackedMeasurements-panel"], [data-cy="measurements-panel"]')
      .first().innerText({ timeout: 10_000 }).catch(e => `(no measurements panel: ${e.message.split('\n')[0]})`);
    seen.page = await page.locator('body').innerText().then(t => t.slice(0, 4000));
    await page.screenshot({ path: path.join(out, 'sr-measurements.png') });
    log(`SR opened: thumbnail "${seen.thumbnail.replace(/\s+/g, ' ')}"`);
  } catch (e) {
    seen.error = e.message;
    log(`SR step failed: ${e.message}`);
    await page.screenshot({ path: path.join(out, 'sr.png') }).catch(() => {});
  }
  return seen;
}

/**
 * Shows the image with this SOP Instance UID in the viewport, screenshots the page and returns the file name with
 * the affine map from image (column, row) to page pixels.
 */
async function shoot(page, sop, file) {
  const index = await page.evaluate(async s => {
    const vp = window.cornerstone.getRenderingEngines().flatMap(e => e.getViewports()).find(v => v.type === 'stack');
    const i = vp.getImageIds().findIndex(id => id.includes(`/instances/${s}/`));
    if (i >= 0) await vp.setImageIdIndex(i);
    vp.render();
    return i;
  }, sop);
  if (index < 0) throw new Error(`image ${sop} is not in the viewport's stack`);
  await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForTimeout(1200);
  const map = await page.evaluate(() => {
    const cs = window.cornerstone;
    const vp = cs.getRenderingEngines().flatMap(e => e.getViewports()).find(v => v.type === 'stack');
    const id = vp.getCurrentImageId();
    const box = vp.canvas.getBoundingClientRect();
    const at = (c, r) => {
      const [x, y] = vp.worldToCanvas(cs.utilities.imageToWorldCoords(id, [c, r]));
      return [box.left + x, box.top + y];
    };
    const o = at(0, 0), c1 = at(1, 0), r1 = at(0, 1);
    return { imageId: id, index: vp.getCurrentImageIdIndex(), origin: o, colStep: [c1[0] - o[0], c1[1] - o[1]],
      rowStep: [r1[0] - o[0], r1[1] - o[1]] };
  });
  await page.screenshot({ path: path.join(out, file) });
  return { file, ...map };
}
