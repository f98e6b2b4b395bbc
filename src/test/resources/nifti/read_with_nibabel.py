"""Reads NIfTI files with nibabel: dumps get_fdata (Fortran order, <f8) to FILE.f64 and prints header facts as
one JSON line per file. Usage: read_with_nibabel.py FILE..."""
import json, sys
import numpy as np
import nibabel as nib


def describe(path):
    img = nib.load(path)
    np.asarray(img.get_fdata(), dtype="<f8").ravel(order="F").tofile(path + ".f64")
    h = img.header
    return {
        "name": path, "datatype": int(h["datatype"]), "shape": list(img.shape),
        "pixdim": [float(x) for x in h["pixdim"][1:4]], "qform_code": int(h["qform_code"]),
        "sform_code": int(h["sform_code"]), "affine": img.affine.tolist(),
        "qform": img.get_qform().tolist(), "sform": img.get_sform().tolist()}


if __name__ == "__main__":
    for p in sys.argv[1:]:
        print(json.dumps(describe(p)))
