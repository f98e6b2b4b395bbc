"""Independent SEG reader for livernode's tests: pydicom (Debian python3-pydicom) decodes the SEG and prints,
as JSON, the geometry and each frame's referenced source (with its frame number), position, segment and the indices
of its set pixels, the header values copied from the sources (as written, padding included) and the Common Instance
Reference."""
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


HEADER = ["FrameOfReferenceUID", "PositionReferenceIndicator", "PatientName", "PatientID", "PatientBirthDate",
          "PatientSex", "PatientWeight", "PatientSize", "StudyInstanceUID", "StudyDate", "StudyTime", "AccessionNumber",
          "LossyImageCompression", "LossyImageCompressionRatio", "LossyImageCompressionMethod", "Manufacturer"]


def raw(ds, keyword):
    """The value as written, padding included (None when absent): the raw element's bytes, read before pydicom
    converts them, so a test sees a NUL pad or a Decimal String's length."""
    if keyword not in ds:
        return None
    value = ds.get_item(keyword).value
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)


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
    "header": {keyword: raw(ds, keyword) for keyword in HEADER},
    "referencedSeries": [
        {"seriesInstanceUid": str(s.SeriesInstanceUID),
         "instances": [str(i.ReferencedSOPInstanceUID) for i in s.ReferencedInstanceSequence]}
        for s in getattr(ds, "ReferencedSeriesSequence", [])],
    "frames": [],
}
for f in range(frames):
    item = per_frame[f]
    derivation = group(item, shared, "DerivationImageSequence")
    source = first(derivation, "SourceImageSequence") if derivation is not None else None
    out["frames"].append({
        "referencedSopInstanceUid": str(source.ReferencedSOPInstanceUID) if source is not None else None,
        "referencedSopClassUid": str(source.ReferencedSOPClassUID) if source is not None else None,
        "referencedFrameNumber": int(source.ReferencedFrameNumber) if source is not None and "ReferencedFrameNumber" in source else None,
        "imagePositionPatientAsWritten": raw(group(item, shared, "PlanePositionSequence"), "ImagePositionPatient"),
        "imagePositionPatient": [float(v) for v in group(item, shared, "PlanePositionSequence").ImagePositionPatient],
        "segmentNumber": int(group(item, shared, "SegmentIdentificationSequence").ReferencedSegmentNumber),
        "pixels": [int(i) for i in numpy.flatnonzero(pixels[f].reshape(-1))],
    })
json.dump(out, sys.stdout)
