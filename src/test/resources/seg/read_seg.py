"""Independent SEG reader for livernode's tests: pydicom (Debian python3-pydicom) decodes the SEG and prints,
as JSON, the geometry and each frame's referenced source, position, segment and the indices of its set pixels."""
import json
import sys

import numpy
import pydicom


def first(seq_owner, keyword):
    seq = getattr(seq_owner, keyword, None)
    return seq[0] if seq else None


def group(frame, shared, keyword):
    item = first(frame, keyword) if frame is not None else None
    return item if item is not None else first(shared, keyword)


ds = pydicom.dcmread(sys.argv[1])
pixels = ds.pixel_array
frames = int(getattr(ds, "NumberOfFrames", 1))
pixels = pixels.reshape((frames, ds.Rows, ds.Columns))
shared = ds.SharedFunctionalGroupsSequence[0]
per_frame = ds.PerFrameFunctionalGroupsSequence
out = {
    "transferSyntax": str(ds.file_meta.TransferSyntaxUID),
    "sopClassUid": str(ds.SOPClassUID),
    "rows": int(ds.Rows),
    "columns": int(ds.Columns),
    "orientation": [float(v) for v in group(per_frame[0], shared, "PlaneOrientationSequence").ImageOrientationPatient],
    "pixelSpacing": [float(v) for v in group(per_frame[0], shared, "PixelMeasuresSequence").PixelSpacing],
    "segments": {str(s.SegmentNumber): str(s.SegmentLabel) for s in ds.SegmentSequence},
    "frames": [],
}
for f in range(frames):
    item = per_frame[f]
    derivation = group(item, shared, "DerivationImageSequence")
    source = first(derivation, "SourceImageSequence") if derivation is not None else None
    out["frames"].append({
        "referencedSopInstanceUid": str(source.ReferencedSOPInstanceUID) if source is not None else None,
        "imagePositionPatient": [float(v) for v in group(item, shared, "PlanePositionSequence").ImagePositionPatient],
        "segmentNumber": int(group(item, shared, "SegmentIdentificationSequence").ReferencedSegmentNumber),
        "pixels": [int(i) for i in numpy.flatnonzero(pixels[f].reshape(-1))],
    })
json.dump(out, sys.stdout)
