"""Evaluates image and clip bundles as users run them: one command, printed tables, a JSON file.

    npm run eval                                   # models/emoji-256, and models/emoji-clip-64 if it exists
    npm run eval -- --flat training/runs/flat64/bundles/flat-64  # + nested versus flat (--nested: another snapshot)
    npm run eval -- --model none --clip-model DIR  # clips only (--clip-model none: images only)

Images are drawn by the real engine (training/eval_generate.mjs: built @matryoshka/core, ONNX Runtime,
the bundle's fp16 weights) and judged by the evaluator (training.mdm.evaluator), a CNN trained only on
real training images:

- FD: Fréchet distance in the evaluator's feature space between images drawn for the captions of the
  held-out real images and those real images ("held-out"), and likewise for a fixed random sample of
  training images ("train"). Floors: the same distance between two real sets of the same sizes.
- Alignment: the evaluator's top-1 / top-5 subgroup accuracy (and top-1 group accuracy) on the drawn
  images, labelled by the subgroup of the prompt's concept; next to the same numbers on real images.
- Samplers: DDIM and DPM-Solver++(2M) at 10, 20 and 50 steps on the first --sampler-images held-out
  prompts: FD (against all held-out real images) and seconds per image (wall and CPU, engine threads
  as given; wall time is only meaningful on an otherwise idle machine).
- Nested versus flat: the same metrics for a flat 64 px UNet trained to the same training FLOPs
  (training/mdm/configs/flat64.py) and the nested snapshot it is matched with.
- Clips (training.mdm.clip_eval): clips the engine draws for held-out motion/concept pairs and
  held-out concepts, judged by a motion classifier trained only on real clips (training.mdm.motion_judge):
  motion top-1 and temporal consistency, next to the real clips of the same prompts; and whether "a
  spinning star" draws a star turning (training.mdm.turning), next to the corpus's spinning stars.

Every image and clip is cached under --work keyed by the bundle's weights and sampling settings, so an
interrupted eval resumes.
Seeds are fixed: the numbers repeat exactly on the same machine and within noise elsewhere (the
evaluator is retrained where its cache is missing; thread counts change float rounding).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from typing import Dict

import numpy as np
import torch
from PIL import Image

from training.eval_draw import ROOT, draw, log
from training.data.motion import MOTION_NAMES
from training.mdm.clip_eval import SETS as CLIP_SETS
from training.mdm.clip_eval import clip_sheet, evaluate_clips
from training.mdm import everyday
from training.mdm.evaluator import RECIPE, Labelled, embed, load_or_train, topk_accuracy
from training.mdm.frechet import frechet_distance
from training.mdm.motion_judge import CLASSIFIER_RECIPE

SAMPLER_GRID = [("ddim", 10), ("ddim", 20), ("ddim", 50), ("dpmpp-2m", 10), ("dpmpp-2m", 20), ("dpmpp-2m", 50)]


def alignment(net, images: np.ndarray, data: Labelled) -> Dict[str, float]:
    _, lg, ls = embed(net, images)
    return {
        "subgroup_top1": topk_accuracy(ls, data.subgroup, 1),
        "subgroup_top5": topk_accuracy(ls, data.subgroup, 5),
        "group_top1": topk_accuracy(lg, data.group, 1),
    }


def subset(d: Labelled, idx: np.ndarray) -> Labelled:
    return Labelled(d.images[idx], d.group[idx], d.subgroup[idx], [d.captions[i] for i in idx],
                    [d.concepts[i] for i in idx])


def evaluate_bundle(bundle, net, sets, real_feats, args, drawn: Dict[str, np.ndarray]) -> Dict:
    out = {"bundle": os.path.relpath(os.path.abspath(bundle), ROOT)}
    man = json.load(open(os.path.join(bundle, "manifest.json")))
    out["training"] = man.get("training", {})
    sampler, steps = man["sampling"]["sampler"], man["sampling"]["steps"]
    out["sampler"], out["steps"], out["guidance"] = sampler, steps, man["sampling"]["guidance"]
    for name, (d, seed0) in sets.items():
        r = draw(bundle, d.captions, [seed0 + i for i in range(len(d.captions))], sampler, steps, None,
                 args.work, args.threads)
        f, _, _ = embed(net, r["images"])
        if name == "heldout":  # a sheet column per bundle, named with its samples: two releases share an id
            model = os.path.basename(os.path.abspath(bundle).rstrip("/"))
            drawn[f"{model} {out['training'].get('samplesSeen', 0) / 1000:.0f}k"] = r["images"]
        out[name] = {"fd": frechet_distance(f, real_feats[name]), **alignment(net, r["images"], d),
                     "seconds_per_image": r["timing"].get("secondsPerImage"),
                     "cpu_seconds_per_image": r["timing"].get("cpuSecondsPerImage")}
    return out


def contact_sheet(path: str, held: Labelled, drawn: Dict[str, np.ndarray], rows: int = 24, scale: int = 2) -> None:
    """Held-out prompts, one distinct concept per row: the real image, then each model's drawing."""
    from PIL import ImageDraw

    picks, seen = [], set()
    for i, c in enumerate(held.concepts):
        if c not in seen:
            seen.add(c)
            picks.append(i)
    picks = picks[:rows]
    cell, label_w = 64 * scale + 4, 190
    cols = ["real"] + list(drawn)
    sheet = Image.new("RGB", (label_w + cell * len(cols), 16 + cell * len(picks)), "white")
    pen = ImageDraw.Draw(sheet)
    for j, name in enumerate(cols):
        pen.text((label_w + j * cell, 2), name[:20], fill="black")
    for r, i in enumerate(picks):
        y = 16 + r * cell
        pen.text((4, y + cell // 2 - 6), held.captions[i][:30], fill="black")
        for j, img in enumerate([held.images[i]] + [d[i] for d in drawn.values()]):
            tile = Image.fromarray(np.asarray(img)).resize((64 * scale, 64 * scale), Image.NEAREST)
            sheet.paste(tile, (label_w + j * cell, y))
    sheet.save(path)


def fmt(x, pct=False) -> str:
    if x is None:
        return "–"
    return f"{100 * x:.1f}%" if pct else f"{x:.2f}"


def width_error(scores: Dict) -> str:
    """A target's width error (evaluations from before spins turned about the vertical axis have none)."""
    return f"{scores['width_error']:.2f}" if "width_error" in scores else "–"


def tables(result: Dict) -> str:
    lines = ["### Quality (FD lower is better; alignment = evaluator subgroup top-1 / top-5, group top-1)", "",
             "| images | FD held-out | FD train | held-out top-1 / top-5 / group | train top-1 / top-5 / group |",
             "|---|---|---|---|---|"]

    def row(name, r):
        h, t = r["heldout"], r["train"]
        return (f"| {name} | {fmt(h.get('fd'))} | {fmt(t.get('fd'))} | {fmt(h['subgroup_top1'], 1)} / "
                f"{fmt(h['subgroup_top5'], 1)} / {fmt(h['group_top1'], 1)} | {fmt(t['subgroup_top1'], 1)} / "
                f"{fmt(t['subgroup_top5'], 1)} / {fmt(t['group_top1'], 1)} |")

    lines.append(row("real images (floor)", result["real"]))
    for name, r in result["models"].items():
        lines.append(row(f"{name} ({r['sampler']}, {r['steps']} steps)", r))
    if result.get("samplers"):
        n = result["sampler_images"]
        lines += ["", f"### Samplers ({result['default']}, {n} held-out prompts; FD against all held-out real "
                      "images, so it is higher than the table above)", "",
                  "| sampler | steps | FD | s / image (wall) | CPU s / image |", "|---|---|---|---|---|"]
        for s in result["samplers"]:
            lines.append(f"| {s['sampler']} | {s['steps']} | {fmt(s['fd'])} | {fmt(s['seconds_per_image'])} | "
                         f"{fmt(s['cpu_seconds_per_image'])} |")
    if result.get("nested_vs_flat"):
        lines += ["", "### Nested versus flat at the same training compute", "",
                  "| model | training TFLOPs | samples seen | FD held-out | FD train | held-out top-1 | train top-1 |",
                  "|---|---|---|---|---|---|---|"]
        for name, r in result["nested_vs_flat"].items():
            tr = r["training"]
            tf = tr.get("flops")
            lines.append(f"| {name.split(' @ ')[0]} | {fmt(tf / 1e12 if tf else None)} | {tr.get('samplesSeen', 0):,} | "
                         f"{fmt(r['heldout']['fd'])} | {fmt(r['train']['fd'])} | "
                         f"{fmt(r['heldout']['subgroup_top1'], 1)} | {fmt(r['train']['subgroup_top1'], 1)} |")
    return "\n".join(lines)


def clip_tables(c: Dict) -> str:
    info = c["classifier"]
    lines = [f"### Clips ({c['model']}, {c['sampler']}, {c['steps']} steps, guidance {c['guidance']:g}; "
             f"{c['frames']} frames at {c['resolution']} px; {fmt(c['seconds_per_clip'])} s / clip wall, "
             f"{fmt(c['cpu_seconds_per_clip'])} CPU s)", "",
             "Motion top-1 of the motion classifier (trained on real training-split clips only: "
             f"{fmt(info['heldout_concept_accuracy'], 1)} on real held-out-concept clips; chance "
             f"{fmt(c['chance'], 1)}) on the drawn clips, next to the real clips of the same prompts; temporal "
             "consistency = mean cosine of consecutive frames' classifier features.", "",
             "| prompts | clips | motion top-1 drawn / real | temporal consistency drawn / real |",
             "|---|---|---|---|"]
    for name, s in c["sets"].items():
        lines.append(f"| {CLIP_SETS[name]} | {s['clips']} | {fmt(s['motion_accuracy_generated'], 1)} / "
                     f"{fmt(s['motion_accuracy_real'], 1)} | {fmt(s['temporal_consistency_generated'])} / "
                     f"{fmt(s['temporal_consistency_real'])} |")
    names = list(c["sets"])
    lines += ["", "| motion | " + " | ".join(f"{n}: drawn / real" for n in names) + " |",
              "|---" * (len(names) + 1) + "|"]
    for m in MOTION_NAMES:
        cells = [f"{fmt(c['sets'][n]['per_motion_accuracy_generated'][m], 1)} / "
                 f"{fmt(c['sets'][n]['per_motion_accuracy_real'][m], 1)}" for n in names]
        lines.append(f"| {m} | " + " | ".join(cells) + " |")
    if "target" in c:
        t = c["target"]
        g, r = t["generated"], t["real"]
        lines += ["", f"\"{t['prompt']}\" (the clip issue's acceptance prompt; seeds {', '.join(map(str, t['seeds']))}): "
                  f"each face-on frame's silhouette against the corpus's {t['concept']} pictures narrowed to the best "
                  "width (mask IoU), and the width error: how far each frame's width is from the corpus's turn about "
                  "the vertical axis (0: turns as the corpus does; a still picture: 0.36 over 8 frames).", "",
                  "| | silhouette IoU | width error |", "|---|---|---|",
                  f"| drawn | {fmt(g['mean_iou'])} | {width_error(g)} |",
                  f"| real corpus clips ({len(r['per_clip'])}) | {fmt(r['mean_iou'])} | {width_error(r)} |"]
    return "\n".join(lines)


def evaluate_images(args) -> Dict:
    """The image sections (quality, samplers, nested versus flat); -> JSON and "sheet" (the contact sheet's
    inputs, dropped before writing)."""
    recipe = {**RECIPE, "steps": args.evaluator_steps}
    net, data, groups, subgroups = load_or_train(args.packed, os.path.join(args.work, "evaluator"), recipe, log=log)
    rng = np.random.default_rng(0)
    held = data["heldout"]
    if args.heldout_images:
        held = subset(held, np.arange(min(args.heldout_images, len(held.captions))))
    pick = rng.choice(len(data["train"].captions), size=2 * args.train_images, replace=False)
    train, train_b = subset(data["train"], pick[: args.train_images]), subset(data["train"], pick[args.train_images :])
    # Seeds: held-out prompts 0.., train prompts 100000..; fixed so that reruns draw the same images.
    sets = {"heldout": (held, 0), "train": (train, 100000)}
    real_feats = {"heldout": embed(net, held.images)[0], "train": embed(net, train.images)[0]}
    # One embedding of the other training images serves both floors (the held-out one uses as many as it needs).
    other_feats = embed(net, train_b.images)[0]
    result: Dict = {
        "packed": os.path.relpath(args.packed, ROOT),
        "evaluator": {"groups": len(groups), "subgroups": len(subgroups), "feature_dim": net.feature_dim},
        "sizes": {"heldout": len(held.captions), "train": len(train.captions)},
        "real": {
            # Floors: held-out real vs as many OTHER real images (training concepts); train vs train.
            "heldout": {"fd": frechet_distance(other_feats[: len(held.captions)], real_feats["heldout"]),
                        **alignment(net, held.images, held)},
            "train": {"fd": frechet_distance(other_feats, real_feats["train"]),
                      **alignment(net, train.images, train)},
        },
        "models": {},
    }
    model_id = os.path.basename(os.path.abspath(args.model).rstrip("/"))
    result["default"] = model_id
    drawn: Dict[str, np.ndarray] = {}
    result["models"][model_id] = evaluate_bundle(args.model, net, sets, real_feats, args, drawn)
    log(f"{model_id}: held-out FD {result['models'][model_id]['heldout']['fd']:.2f}")

    if args.sampler_images:
        n = min(args.sampler_images, len(held.captions))
        head = subset(held, np.arange(n))
        rows = []
        for sampler, steps in SAMPLER_GRID:
            r = draw(args.model, head.captions, list(range(n)), sampler, steps, None, args.work, args.threads)
            rows.append({"sampler": sampler, "steps": steps,
                         "fd": frechet_distance(embed(net, r["images"])[0], real_feats["heldout"]),
                         "seconds_per_image": r["timing"].get("secondsPerImage"),
                         "cpu_seconds_per_image": r["timing"].get("cpuSecondsPerImage")})
        result["samplers"], result["sampler_images"] = rows, n

    if args.flat:
        nested = args.nested or args.model
        nv = {}
        for bundle in (nested, args.flat):
            r = evaluate_bundle(bundle, net, sets, real_feats, args, drawn)
            name = os.path.basename(os.path.abspath(bundle).rstrip("/"))
            nv[f"{name} @ {r['training'].get('samplesSeen', 0):,} samples"] = r
        result["nested_vs_flat"] = nv
    result["sheet"] = (held, drawn)
    return result


def default_clip_model(arg: str | None) -> str | None:
    """--clip-model: "none" skips the clips; left out, the shipped clip bundle if there is one."""
    if arg == "none":
        return None
    if arg:
        return arg
    shipped = os.path.join(ROOT, "models", "emoji-clip-64")
    if os.path.exists(os.path.join(shipped, "manifest.json")):
        return shipped
    log(f"clips: no clip bundle at {os.path.relpath(shipped, ROOT)}; clip section skipped (--clip-model DIR)")
    return None


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "emoji-256"),
                    help='image bundle folder ("none": clips only)')
    ap.add_argument("--packed", default=os.path.join(ROOT, "training", "data", "packed", "emoji64"))
    ap.add_argument("--work", default=os.path.join(ROOT, "training", "runs", "eval"), help="cache folder")
    ap.add_argument("--train-images", type=int, default=306, help="training images (and prompts) in the train set")
    ap.add_argument("--heldout-images", type=int, default=0, help="0 = every held-out image")
    ap.add_argument("--sampler-images", type=int, default=100, help="0 skips the sampler table")
    ap.add_argument("--flat", help="flat baseline bundle for the nested-versus-flat table")
    ap.add_argument("--nested", help="the nested bundle matched with --flat in FLOPs (default: --model)")
    ap.add_argument("--clip-model", help='clip bundle folder (default: models/emoji-clip-64 if it exists; "none" skips)')
    ap.add_argument("--clip-prompts", type=int, default=5, help="clip prompts per motion in each held-out set")
    ap.add_argument("--clip-sampler", choices=["ddpm", "ddim", "dpmpp-2m"], help="default: the clip bundle's")
    ap.add_argument("--clip-steps", type=int, help="default: the clip bundle's")
    ap.add_argument("--clip-guidance", type=float, help="default: the clip bundle's")
    ap.add_argument("--everyday-packed", default=os.path.join(ROOT, "training", "data", "packed", "v2-64"),
                    help='the v2 set the everyday benchmark\'s judge learns concepts from ("none" skips the benchmark)')
    ap.add_argument("--everyday-seeds", type=int, nargs="+", default=[0, 1])
    ap.add_argument("--everyday-prompts", type=int, default=0, help="about this many benchmark prompts (0 = all)")
    ap.add_argument("--judge-steps", type=int, default=everyday.JUDGE_RECIPE["steps"], help=argparse.SUPPRESS)
    ap.add_argument("--threads", type=int, default=2, help="engine threads")
    ap.add_argument("--evaluator-steps", type=int, default=RECIPE["steps"], help=argparse.SUPPRESS)
    ap.add_argument("--classifier-steps", type=int, default=CLASSIFIER_RECIPE["steps"], help=argparse.SUPPRESS)
    ap.add_argument("--out", help="JSON result (default <work>/eval-<model>.json)")
    ap.add_argument("--markdown", help="also write the tables to this file")
    args = ap.parse_args(argv)
    torch.set_num_threads(max(1, args.threads))
    if not os.path.exists(os.path.join(args.packed, "meta.json")):
        raise SystemExit(f"no packed data at {args.packed}: run `node training/data/pack.mjs --res 64 --out "
                         f"{os.path.relpath(args.packed, ROOT)}` first")
    clip_model = default_clip_model(args.clip_model)
    images = args.model != "none"
    if not images and not clip_model:
        raise SystemExit("nothing to evaluate: --model none and no clip bundle")
    t0 = time.time()
    result: Dict = evaluate_images(args) if images else {}
    if clip_model:
        result["clips"] = evaluate_clips(clip_model, args.packed, args.work, args.threads, args.clip_prompts,
                                         args.classifier_steps, args.clip_sampler, args.clip_steps,
                                         args.clip_guidance)
    everyday_images = None
    if images and args.everyday_packed != "none":
        if not os.path.exists(os.path.join(args.everyday_packed, "meta.json")):
            raise SystemExit(f"no packed v2 data at {args.everyday_packed} for the everyday benchmark: run `node "
                             f"training/data/pack.mjs --res 64 --sources v2 --out {os.path.relpath(args.everyday_packed, ROOT)}`"
                             " (or --everyday-packed none)")
        result["everyday"] = everyday.evaluate(args.model, args.everyday_packed, args.work, args.everyday_seeds,
                                               args.threads, limit=args.everyday_prompts,
                                               judge_steps=args.judge_steps)
        everyday_images = result["everyday"].pop("_images")
    held, drawn = result.pop("sheet", (None, None))
    clips_drawn = result["clips"].pop("drawn") if clip_model else None

    result["seconds"] = round(time.time() - t0, 1)
    md = "\n\n".join(([tables(result)] if images else [])
                     + ([everyday.table(result["everyday"])] if "everyday" in result else [])
                     + ([clip_tables(result["clips"])] if clip_model else []))
    print(md)
    name = result["default"] if images else result["clips"]["model"]
    out = args.out or os.path.join(args.work, f"eval-{name}.json")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    stem = os.path.splitext(out)[0]
    wrote = [out]
    if images:
        contact_sheet(stem + "-heldout.png", held, drawn)
        wrote.append(stem + "-heldout.png")
    if everyday_images is not None:
        everyday.contact_sheet(stem + "-everyday.png", result["everyday"], everyday_images)
        result["everyday"]["sheet"] = os.path.basename(stem + "-everyday.png")
        wrote.append(stem + "-everyday.png")
    if clip_model:
        result["clips"]["sheet"] = os.path.basename(stem + "-clips.gif")
        clip_sheet(stem + "-clips.gif", clips_drawn, fps=result["clips"]["fps"])
        wrote.append(stem + "-clips.gif")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(md + "\n")
    log(f"wrote {', '.join(wrote)} in {result['seconds']:.0f} s")


if __name__ == "__main__":
    main()
