// livernode's study list: one GET /api/studies (each study with its series and their latest job), refreshed
// every 10 s while the page is visible.
'use strict';

const text = value => (value === undefined || value === null ? '' : String(value));

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => (k === 'class' ? (e.className = v) : e.setAttribute(k, v)));
  children.flat().forEach(c => e.append(c instanceof Node ? c : text(c)));
  return e;
}

async function json(path) {
  // X-Requested-With: no Basic challenge back (the browser would pop up its own password dialog).
  const response = await fetch(path, { headers: { Accept: 'application/json', 'X-Requested-With': 'fetch' } });
  if (response.status === 401) {
    location.assign(`/login.html?next=${encodeURIComponent(location.pathname + location.search)}`);
  }
  if (!response.ok) {
    throw new Error(`${path}: HTTP ${response.status}`);
  }
  return response.json();
}

// DICOM names are Family^Given^Middle^Prefix^Suffix; dates YYYYMMDD.
const personName = name => text(name).split('^').filter(Boolean).join(', ');
const studyDate = date => (/^\d{8}$/.test(text(date)) ? `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}` : text(date));

function viewerLink(studyUid) {
  return `/viewer/viewer?StudyInstanceUIDs=${encodeURIComponent(studyUid)}`;
}

function row(study) {
  const series = study.series || [];
  const seriesCells = series.map(s =>
    el('span', { class: 'series' }, [s.modality, s.seriesNumber != null ? `#${s.seriesNumber}` : null,
      s.seriesDescription, `(${s.instanceCount})`].filter(v => v != null && v !== '').join(' ')));
  // One line per series in the series, job and volume columns (a SEG series has no job: an empty line).
  const jobs = series.map(s => s.job);
  const jobCells = jobs.map(j => el('span', { class: 'series' },
    j ? el('span', { class: `state ${j.state}`, title: text(j.reason) }, j.state) : '\u00a0'));
  // The volume read back from an SR of the series (marked "SR"), else the job's.
  const volumes = series.map(s => (s.liverVolume
    ? el('span', { class: 'series', title: s.liverVolume.from === 'SR'
      ? `from the SR ${s.liverVolume.srSopInstanceUid}` : 'from the job' },
    s.liverVolume.ml.toFixed(1), s.liverVolume.from === 'SR' ? el('span', { class: 'from-sr' }, ' SR') : '')
    : el('span', { class: 'series' }, '\u00a0')));
  return el('tr', { 'data-study': study.studyUid },
    el('td', {}, personName(study.patientName) || '(no name)', el('div', { class: 'uid' }, text(study.patientId))),
    el('td', {}, studyDate(study.studyDate)),
    el('td', {}, text(study.studyDescription), el('div', { class: 'uid' }, study.studyUid)),
    el('td', {}, seriesCells),
    el('td', {}, jobCells),
    el('td', { class: 'num liver-ml' }, volumes),
    el('td', {}, el('a', { class: 'open', href: viewerLink(study.studyUid) }, 'Open in viewer')));
}

async function refresh() {
  const status = document.getElementById('status');
  const table = document.getElementById('studies');
  try {
    const studies = await json('/api/studies');
    table.tBodies[0].replaceChildren(...studies.map(row));
    table.hidden = studies.length === 0;
    status.textContent = studies.length === 0
      ? 'No study received yet: send a CT series to this node (C-STORE or STOW-RS).'
      : `${studies.length} ${studies.length === 1 ? 'study' : 'studies'}, updated ${new Date().toLocaleTimeString()}`;
  } catch (e) {
    status.textContent = `Cannot load the studies: ${e.message}`;
  }
  if (typeof refreshQa === 'function') {
    await refreshQa(); // qa.js: the corrections view, which reports its own errors
  }
}

// Poll only while someone can see the page; coming back into view refreshes at once.
let timer = null;

async function poll() {
  clearTimeout(timer);
  timer = null;
  if (document.visibilityState !== 'visible') {
    return;
  }
  await refresh();
  if (timer === null && document.visibilityState === 'visible') {
    timer = setTimeout(poll, 10000);
  }
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') {
    poll();
  } else {
    clearTimeout(timer);
    timer = null;
  }
});
poll();
