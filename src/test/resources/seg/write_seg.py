"""Independent SEG writer for livernode's reader test: pydicom + numpy build a small two-segment BINARY SEG
(frames ordered segment by segment, bits packed with numpy) and print the masks they wrote as JSON."""
import json
import sys

import numpy
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

ROWS, COLUMNS, SLICES = 7, 9, 3
SEGMENTS = {1: "Liver", 2: "Spleen"}


def code(value, scheme, meaning):
    c = Dataset()
    c.CodeValue, c.CodingSchemeDesignator, c.CodeMeaning = value, scheme, meaning
    return c


def mask(segment, k):
    r, c = numpy.mgrid[0:ROWS, 0:COLUMNS]
    return ((r * 3 + c * segment + k) % (4 + segment) == 0).astype(numpy.uint8)


source_uids = [generate_uid(prefix=None) for _ in range(SLICES)]
positions = [[-50.0, 20.5, 10.0 - 3.0 * k] for k in range(SLICES)]
ds = Dataset()
ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.66.4"
ds.SOPInstanceUID = generate_uid(prefix=None)
ds.StudyInstanceUID = generate_uid(prefix=None)
ds.SeriesInstanceUID = generate_uid(prefix=None)
ds.FrameOfReferenceUID = generate_uid(prefix=None)
ds.Modality = "SEG"
ds.SegmentationType = "BINARY"
ds.Rows, ds.Columns = ROWS, COLUMNS
ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 1, 1, 0, 0
ds.SegmentSequence = Sequence()
for number, label in SEGMENTS.items():
    s = Dataset()
    s.SegmentNumber, s.SegmentLabel, s.SegmentAlgorithmType = number, label, "MANUAL"
    s.SegmentedPropertyCategoryCodeSequence = Sequence([code("123037004", "SCT", "Anatomical Structure")])
    s.SegmentedPropertyTypeCodeSequence = Sequence([code("10200004" if number == 1 else "78961009", "SCT", label)])
    ds.SegmentSequence.append(s)
shared = Dataset()
orientation, measures = Dataset(), Dataset()
orientation.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
measures.PixelSpacing, measures.SliceThickness = [0.5, 0.6], 3.0
shared.PlaneOrientationSequence = Sequence([orientation])
shared.PixelMeasuresSequence = Sequence([measures])
ds.SharedFunctionalGroupsSequence = Sequence([shared])
ds.PerFrameFunctionalGroupsSequence = Sequence()
frames, written = [], []
for number in SEGMENTS:
    for k in range(SLICES):
        item = Dataset()
        position, segment, derivation, source = Dataset(), Dataset(), Dataset(), Dataset()
        position.ImagePositionPatient = positions[k]
        segment.ReferencedSegmentNumber = number
        source.ReferencedSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
        source.ReferencedSOPInstanceUID = source_uids[k]
        derivation.SourceImageSequence = Sequence([source])
        item.PlanePositionSequence = Sequence([position])
        item.SegmentIdentificationSequence = Sequence([segment])
        item.DerivationImageSequence = Sequence([derivation])
        ds.PerFrameFunctionalGroupsSequence.append(item)
        m = mask(number, k)
        frames.append(m.reshape(-1))
        written.append({"segmentNumber": number, "referencedSopInstanceUid": source_uids[k],
                        "imagePositionPatient": positions[k], "pixels": [int(i) for i in numpy.flatnonzero(m)]})
ds.NumberOfFrames = len(frames)
packed = numpy.packbits(numpy.concatenate(frames), bitorder="little").tobytes()
ds.PixelData = packed + (b"\0" if len(packed) % 2 else b"")
ds.file_meta = FileMetaDataset()
ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds.is_little_endian, ds.is_implicit_VR = True, False
pydicom.dcmwrite(sys.argv[1], ds, write_like_original=False)
json.dump({"segments": {str(k): v for k, v in SEGMENTS.items()}, "frames": written}, sys.stdout)
