// livernode's QA view on the study list: per model version, the corrected cases (radiologists' SEGs sent back),
// their mean DSC against the node's SEG and the worst cases, linked to the viewer. One GET /api/corrections, made
// by studies.js at each refresh; uses its el(), json() and viewerLink().
'use strict';

const dsc = value => (typeof value === 'number' ? value.toFixed(3) : '');
const mm = value => (typeof value === 'number' ? value.toFixed(1) : 'n/a');

function qaRow(model) {
  const worst = (model.worst || []).map(c => el('span', { class: 'series' },
    el('a', { class: 'worst', href: viewerLink(c.studyUid), title: `correction ${c.sopInstanceUid} (${c.segmentationType})` },
      `DSC ${dsc(c.dsc)}`),
    ` HD95 ${mm(c.hd95Mm)} mm, ${typeof c.volumeDifferenceMl === 'number' ? c.volumeDifferenceMl.toFixed(1) : ''} mL`));
  return el('tr', { 'data-model': model.model },
    el('td', {}, model.model),
    el('td', { class: 'num qa-cases' }, String(model.cases)),
    el('td', { class: 'num qa-mean-dsc' }, dsc(model.meanDsc)),
    el('td', {}, worst));
}

async function refreshQa() {
  const section = document.getElementById('qa');
  const status = document.getElementById('qa-status');
  const table = document.getElementById('qa-models');
  try {
    const models = await json('/api/corrections');
    table.tBodies[0].replaceChildren(...models.map(qaRow));
    table.hidden = models.length === 0;
    section.hidden = false;
    status.textContent = models.length === 0
      ? 'No correction measured yet: send a corrected SEG (BINARY or LABELMAP) of a segmented series back to this node.'
      : 'Agreement of the node\u2019s SEG with the corrections sent back, per model version.';
  } catch (e) {
    section.hidden = false;
    status.textContent = `Cannot load the corrections: ${e.message}`;
  }
}
