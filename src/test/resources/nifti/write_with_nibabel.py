"""Writes NIfTI-1 test images with nibabel and, beside each, its values (get_fdata, Fortran order, <f8) and header
facts as one JSON line per image on stdout. Usage: write_with_nibabel.py OUTDIR"""
import json, os, sys
import numpy as np
import nibabel as nib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from read_with_nibabel import describe  # noqa: E402

out = sys.argv[1]
rng = np.random.default_rng(42)


def rotation(ax, ay, az):
    cx, sx, cy, sy, cz, sz = np.cos(ax), np.sin(ax), np.cos(ay), np.sin(ay), np.cos(az), np.sin(az)
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rz @ ry @ rx


def affine(r, zooms, offset, flip_k=False):
    a = np.eye(4)
    a[:3, :3] = r @ np.diag(zooms)
    if flip_k:
        a[:3, 2] = -a[:3, 2]
    a[:3, 3] = offset
    return a


cases = [
    # name, dtype, shape, low, high, slope, inter, affine, qform code, sform code, endianness
    ("int16_scaled_both.nii", "int16", (5, 4, 3), -1024, 3071, 2.0, -1024.0,
     affine(np.diag([-1.0, -1.0, 1.0]), [0.75, 0.8, 2.5], [120.5, 90.25, -300.0]), 1, 1, "<"),
    ("uint8_qform_oblique.nii.gz", "uint8", (6, 5, 4), 0, 255, None, None,
     affine(rotation(0.1, -0.2, 0.3), [1.5, 1.25, 3.0], [-10.0, 20.0, 30.0], flip_k=True), 1, 0, "<"),
    ("float32_sform_shear.nii", "float32", (4, 3, 5), -1000, 1000, None, None,
     np.array([[0.9, 0.1, 0.0, 5.0], [0.0, -1.1, 0.2, 6.0], [0.05, 0.0, 2.0, -7.0], [0, 0, 0, 1]]), 0, 2, "<"),
    ("int32_bigendian.nii.gz", "int32", (3, 4, 2), -100000, 100000, None, None,
     affine(np.eye(3), [0.5, 0.5, 1.0], [1.0, 2.0, 3.0]), 1, 1, ">"),
    ("float64_scaled.nii", "float64", (3, 3, 3), -5, 5, 0.5, 10.0,
     affine(np.eye(3), [1.0, 1.0, 1.0], [0.0, 0.0, 0.0]), 2, 2, "<"),
    ("int8.nii", "int8", (2, 3, 4), -128, 127, None, None,
     affine(np.eye(3), [2.0, 3.0, 4.0], [0.0, 0.0, 0.0]), 1, 1, "<"),
    ("uint16.nii.gz", "uint16", (3, 2, 2), 0, 65535, None, None,
     affine(np.eye(3), [1.0, 1.0, 1.0], [0.0, 0.0, 0.0]), 1, 1, "<"),
]

for name, dtype, shape, low, high, slope, inter, aff, qcode, scode, endian in cases:
    if dtype.startswith("float"):
        data = rng.uniform(low, high, size=shape).astype(dtype)
    else:
        data = rng.integers(low, high, size=shape, endpoint=True).astype(dtype)
    header = nib.Nifti1Header(endianness=endian)
    header.set_data_dtype(np.dtype(dtype).newbyteorder(endian))
    img = nib.Nifti1Image(data, None, header)
    img.set_qform(aff if qcode else None, code=qcode)
    img.set_sform(aff if scode else None, code=scode)
    if slope is not None:
        img.header.set_slope_inter(slope, inter)
    path = os.path.join(out, name)
    nib.save(img, path)
    facts = describe(path)
    facts["name"] = name
    print(json.dumps(facts))
