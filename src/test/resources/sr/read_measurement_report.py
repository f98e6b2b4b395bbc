#!/usr/bin/python3
"""Test helper: reads a TID 1500 Measurement Report with pydicom (independent of the node's Java code) and prints
what a RIS would take from it as JSON: document header, observer, and per measurement group its tracking,
finding site, referenced segment, source series, algorithm and measurements (name, derivation, value, unit)."""
import json
import sys

import pydicom


def code(seq):
    item = seq[0]
    return {"value": item.CodeValue, "scheme": item.CodingSchemeDesignator, "meaning": item.CodeMeaning}


def name(item):
    return item.ConceptNameCodeSequence[0].CodeMeaning if "ConceptNameCodeSequence" in item else None


def children(item):
    return list(item.ContentSequence) if "ContentSequence" in item else []


def group_of(item):
    g = {"measurements": []}
    for c in children(item):
        n, vt, rel = name(c), c.ValueType, c.RelationshipType
        if n == "Tracking Identifier":
            g["trackingIdentifier"] = c.TextValue
        elif n == "Tracking Unique Identifier":
            g["trackingUid"] = c.UID
        elif n == "Finding Site":
            g["findingSite"] = code(c.ConceptCodeSequence)
        elif n == "Finding":
            g["finding"] = code(c.ConceptCodeSequence)
        elif n == "Referenced Segment":
            ref = c.ReferencedSOPSequence[0]
            g["referencedSegment"] = {"sopClassUid": ref.ReferencedSOPClassUID,
                                      "sopInstanceUid": ref.ReferencedSOPInstanceUID,
                                      "segmentNumber": int(ref.ReferencedSegmentNumber)}
        elif n == "Source series for segmentation":
            g["sourceSeries"] = c.UID
        elif n in ("Algorithm Name", "Algorithm Version"):
            g[n] = c.TextValue
        elif vt == "NUM":
            mv = c.MeasuredValueSequence[0]
            derivation = [code(m.ConceptCodeSequence)["meaning"] for m in children(c) if name(m) == "Derivation"]
            g["measurements"].append({"name": code(c.ConceptNameCodeSequence),
                                      "derivation": derivation[0] if derivation else None,
                                      "value": float(mv.NumericValue),
                                      "unit": code(mv.MeasurementUnitsCodeSequence)})
    return g


def main(path):
    ds = pydicom.dcmread(path)
    out = {"sopClassUid": ds.SOPClassUID, "sopInstanceUid": ds.SOPInstanceUID, "modality": ds.Modality,
           "studyUid": ds.StudyInstanceUID, "seriesUid": ds.SeriesInstanceUID,
           "seriesDescription": ds.SeriesDescription, "patientId": ds.PatientID,
           "template": ds.ContentTemplateSequence[0].TemplateIdentifier, "title": code(ds.ConceptNameCodeSequence),
           "completion": ds.CompletionFlag, "observer": {}, "groups": []}
    for c in children(ds):
        n = name(c)
        if c.RelationshipType == "HAS OBS CONTEXT":
            out["observer"][n] = code(c.ConceptCodeSequence)["meaning"] if c.ValueType == "CODE" else (
                c.UID if c.ValueType == "UIDREF" else c.TextValue)
        elif n == "Imaging Measurements":
            out["groups"] = [group_of(g) for g in children(c) if name(g) == "Measurement Group"]
        elif n == "Image Library":
            out["imageLibrary"] = [i.ReferencedSOPSequence[0].ReferencedSOPInstanceUID
                                   for grp in children(c) for i in children(grp)]
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
