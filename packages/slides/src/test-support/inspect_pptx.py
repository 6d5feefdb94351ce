"""An independent reader for test outputs: Python's zipfile and ElementTree, none of the code under test.

Prints one JSON object: every part, parts with no content type, relationships whose internal target
is missing, XML parts that are not well-formed, and per slide (in presentation order) its text runs,
shape ids and pictures (frame, crop, the media part and its pixel size read by PIL).
"""
import io
import json
import posixpath
import sys
import zipfile
import xml.etree.ElementTree as ET

from PIL import Image

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
R_ID = "{%s}id" % NS["r"]
R_EMBED = "{%s}embed" % NS["r"]


def rels_name(part):
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def read_rels(z, part):
    name = rels_name(part)
    if name not in z.namelist():
        return {}
    out = {}
    for rel in ET.fromstring(z.read(name)).findall("rel:Relationship", NS):
        external = rel.get("TargetMode") == "External"
        target = rel.get("Target")
        resolved = target if external else posixpath.normpath(
            posixpath.join(posixpath.dirname(part), target)).lstrip("/")
        if not external and target.startswith("/"):
            resolved = target.lstrip("/")
        out[rel.get("Id")] = {"type": rel.get("Type"), "part": resolved, "external": external}
    return out


def main(path):
    z = zipfile.ZipFile(path)
    names = [n for n in z.namelist() if not n.endswith("/")]
    result = {"parts": names, "untyped": [], "brokenRels": [], "xmlErrors": [], "slides": []}

    types = ET.fromstring(z.read("[Content_Types].xml"))
    defaults = {d.get("Extension").lower() for d in types.findall("ct:Default", NS)}
    overrides = {o.get("PartName").lower() for o in types.findall("ct:Override", NS)}
    for name in names:
        if name == "[Content_Types].xml":
            continue
        if ("/" + name).lower() not in overrides and name.rsplit(".", 1)[-1].lower() not in defaults:
            result["untyped"].append(name)
        if name.endswith(".xml") or name.endswith(".rels"):
            try:
                ET.fromstring(z.read(name))
            except ET.ParseError as error:
                result["xmlErrors"].append("%s: %s" % (name, error))
        if name.endswith(".rels"):
            source = posixpath.join(posixpath.dirname(posixpath.dirname(name)), posixpath.basename(name)[:-5])
            for rel in read_rels(z, source).values():
                if not rel["external"] and rel["part"] not in names:
                    result["brokenRels"].append({"source": source, "target": rel["part"]})

    presentation = ET.fromstring(z.read("ppt/presentation.xml"))
    pres_rels = read_rels(z, "ppt/presentation.xml")
    for sld in presentation.find("p:sldIdLst", NS) or []:
        part = pres_rels[sld.get(R_ID)]["part"]
        root = ET.fromstring(z.read(part))
        rels = read_rels(z, part)
        slide = {"part": part, "texts": [], "shapeIds": [], "pictures": [], "elements": {}}
        for element in root.iter():
            slide["elements"][element.tag] = slide["elements"].get(element.tag, 0) + 1
        for t in root.iter("{%s}t" % NS["a"]):
            slide["texts"].append(t.text or "")
        for c in root.iter():
            if c.tag.endswith("}cNvPr"):
                slide["shapeIds"].append(c.get("id"))
        for pic in root.iter("{%s}pic" % NS["p"]):
            blip = pic.find("p:blipFill/a:blip", NS)
            off = pic.find("p:spPr/a:xfrm/a:off", NS)
            ext = pic.find("p:spPr/a:xfrm/a:ext", NS)
            crop = pic.find("p:blipFill/a:srcRect", NS)
            media = rels.get(blip.get(R_EMBED), {}).get("part") if blip is not None else None
            size = None
            if media in names:
                with Image.open(io.BytesIO(z.read(media))) as im:
                    size = list(im.size)
            slide["pictures"].append({
                "name": pic.find("p:nvPicPr/p:cNvPr", NS).get("name"),
                "media": media,
                "pixels": size,
                "box": None if off is None or ext is None else [int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy"))],
                "crop": None if crop is None else {k: int(crop.get(k, "0")) for k in "ltrb"},
            })
        result["slides"].append(slide)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
