#!/usr/bin/env python3
"""Upstream's I-JEPA train step in PyTorch, timed: the yardstick bench/gpu.sh holds our CUDA step against.

Written for this project from the paper's and upstream's published semantics (facebookresearch/ijepa src/train.py,
src/models/vision_transformer.py): ViT encoder with a fixed 2-D sin-cos position table, pre-LN blocks with qkv bias
and exact GELU, final LayerNorm; predictor (Linear D→Dp, mask token, blocks, LayerNorm, Linear Dp→D); target
features = layer_norm (no affine) of the target encoder on the full image, gathered per target block; smooth L1;
AdamW (no decay on biases and 1-D parameters); EMA of the target encoder. Masks have fixed lengths (Nc context and
Nt target patches per row, as `ijepa-ort bench --context Nc --target Nt`): the cost depends on the shapes only.
Usage: torch_ijepa_step.py [--model vit_base] [--patch 16] [--img 224] [--batch 64] [--context 90] [--target 30]
       [--pred-depth 6] [--pred-dim 384] [--steps 10] [--warmup 3] [--precision fp32|tf32|bf16] [--json]"""
import argparse, json, math, statistics, time
import torch
import torch.nn as nn
import torch.nn.functional as F

MODELS = {"vit_tiny": (192, 12, 3), "vit_small": (384, 12, 6), "vit_base": (768, 12, 12),
          "vit_large": (1024, 24, 16), "vit_huge": (1280, 32, 16)}

def sincos_2d(dim, grid):
    """[grid*grid, dim]: first half of the channels from the column index, second half from the row (upstream's layout)."""
    def one_d(d, pos):
        omega = 1.0 / 10000 ** (torch.arange(d // 2, dtype=torch.float64) / (d / 2.0))
        out = pos.reshape(-1, 1).double() * omega.reshape(1, -1)
        return torch.cat([torch.sin(out), torch.cos(out)], dim=1)
    rows, cols = torch.meshgrid(torch.arange(grid), torch.arange(grid), indexing="ij")
    return torch.cat([one_d(dim // 2, cols), one_d(dim // 2, rows)], dim=1).float()

class Block(nn.Module):
    def __init__(self, dim, heads, mlp_ratio=4.0):
        super().__init__()
        self.heads = heads
        self.norm1, self.norm2 = nn.LayerNorm(dim, eps=1e-6), nn.LayerNorm(dim, eps=1e-6)
        self.qkv, self.proj = nn.Linear(dim, 3 * dim, bias=True), nn.Linear(dim, dim)
        self.fc1, self.fc2 = nn.Linear(dim, int(dim * mlp_ratio)), nn.Linear(int(dim * mlp_ratio), dim)

    def forward(self, x):
        b, n, c = x.shape
        qkv = self.qkv(self.norm1(x)).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = ((q @ k.transpose(-2, -1)) * (c // self.heads) ** -0.5).softmax(dim=-1)
        x = x + self.proj((attn @ v).transpose(1, 2).reshape(b, n, c))
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))

def gather(x, idx):
    """x [B, N, D], idx [B, K] → [B, K, D]."""
    return torch.gather(x, 1, idx.unsqueeze(-1).expand(-1, -1, x.size(-1)))

class Encoder(nn.Module):
    def __init__(self, img, patch, dim, depth, heads):
        super().__init__()
        self.patch_embed = nn.Conv2d(3, dim, patch, patch)
        self.register_buffer("pos", sincos_2d(dim, img // patch).unsqueeze(0))
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(dim, eps=1e-6)

    def forward(self, images, keep=None):
        x = self.patch_embed(images).flatten(2).transpose(1, 2) + self.pos
        if keep is not None:
            x = gather(x, keep)
        for blk in self.blocks:
            x = blk(x)
        return self.norm(x)

class Predictor(nn.Module):
    def __init__(self, grid, dim, pred_dim, depth, heads):
        super().__init__()
        self.embed = nn.Linear(dim, pred_dim)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, pred_dim))
        self.register_buffer("pos", sincos_2d(pred_dim, grid).unsqueeze(0))
        self.blocks = nn.ModuleList(Block(pred_dim, heads) for _ in range(depth))
        self.norm, self.proj = nn.LayerNorm(pred_dim, eps=1e-6), nn.Linear(pred_dim, dim)

    def forward(self, z, context, targets):
        m = len(targets)
        b = z.size(0)
        x = self.embed(z) + gather(self.pos.expand(b, -1, -1), context)              # [B, Nc, Dp]
        x = x.repeat(m, 1, 1)                                                        # [M·B, Nc, Dp]
        t = torch.cat(targets, dim=0)                                                # [M·B, Nt] block-major
        pred = self.mask_token + gather(self.pos.expand(m * b, -1, -1), t)           # [M·B, Nt, Dp]
        x = torch.cat([x, pred], dim=1)
        for blk in self.blocks:
            x = blk(x)
        return self.proj(self.norm(x)[:, -t.size(1):])                              # [M·B, Nt, D]

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="vit_base"); p.add_argument("--patch", type=int, default=16)
    p.add_argument("--img", type=int, default=224); p.add_argument("--batch", type=int, default=64)
    p.add_argument("--context", type=int, default=90); p.add_argument("--target", type=int, default=30)
    p.add_argument("--targets", type=int, default=4); p.add_argument("--pred-depth", type=int, default=6)
    p.add_argument("--pred-dim", type=int, default=384); p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3); p.add_argument("--precision", default="tf32", choices=["fp32", "tf32", "bf16"])
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    dev = torch.device("cuda")
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = a.precision != "fp32"
    dim, depth, heads = MODELS[a.model]
    grid = a.img // a.patch
    n = grid * grid
    torch.manual_seed(0)
    encoder = Encoder(a.img, a.patch, dim, depth, heads).to(dev)
    predictor = Predictor(grid, dim, a.pred_dim, a.pred_depth, heads).to(dev)
    target = Encoder(a.img, a.patch, dim, depth, heads).to(dev)
    target.load_state_dict(encoder.state_dict())
    for q in target.parameters():
        q.requires_grad_(False)
    params = [q for mod in (encoder, predictor) for q in mod.parameters()]
    groups = [{"params": [q for q in params if q.ndim > 1]}, {"params": [q for q in params if q.ndim <= 1], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=1e-4, weight_decay=0.04)
    images = torch.randn(a.batch, 3, a.img, a.img, device=dev)
    context = torch.stack([torch.randperm(n, device=dev)[:a.context].sort().values for _ in range(a.batch)])
    targets = [torch.stack([torch.randperm(n, device=dev)[:a.target].sort().values for _ in range(a.batch)]) for _ in range(a.targets)]

    def step():
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=a.precision == "bf16"):
            with torch.no_grad():
                h = F.layer_norm(target(images), (dim,))
                h = torch.cat([gather(h, t) for t in targets], dim=0)                 # [M·B, Nt, D]
            z = predictor(encoder(images, context), context, targets)
            loss = F.smooth_l1_loss(z.float(), h.float())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            for qt, q in zip(target.parameters(), encoder.parameters()):
                qt.mul_(0.996).add_(q.detach(), alpha=0.004)
        return loss

    times = []
    for s in range(a.warmup + a.steps):
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        step()
        torch.cuda.synchronize()
        if s >= a.warmup:
            times.append((time.perf_counter() - t0) * 1000)
    med = statistics.median(times)
    result = {"model": a.model, "patch": a.patch, "img": a.img, "batch": a.batch, "context": a.context, "target": a.target,
              "precision": a.precision, "ms_per_step": med, "min_ms": min(times), "img_per_s": a.batch * 1000 / med,
              "peak_mem_gib": torch.cuda.max_memory_allocated() / 2**30, "torch": torch.__version__}
    print(f"torch {a.model}/{a.patch} {a.img}px batch {a.batch} ({a.precision}): median {med:.1f} ms/step, {result['img_per_s']:.0f} img/s")
    if a.json:
        print(json.dumps(result))

if __name__ == "__main__":
    main()
