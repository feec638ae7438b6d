"""The taste model: what each listener will want next, learned from the play log and from what
the tracks are like.

- **Interactions** (`interactions`, SQL on DuckDB over the play log): each listener's plays of a
  track add up to how much they like it: a play counts as the share of the track heard (a skip,
  under 30 seconds, counts nothing), and a play from the listener's library (a save) counts one
  more. Repeats add up. (A skip: under 30 seconds, or under 90 % of a track shorter than that.)
- **Collaborative factors**: implicit-feedback matrix factorisation (`implicit`'s ALS, Hu, Koren
  and Volinsky 2008) gives each listener and each track FACTORS numbers.
- **Content**: a ridge regression maps each track's content vector (`catalog.features`: genre,
  mood, tempo, mode, title and description embeddings) into the same space. A track's vector is
  its learned one blended with its content's (`COLD_WEIGHT` listeners' worth of the content's), so
  a track nobody has played yet (every new song) is still placed among those it sounds like.
- **Recommending**: the listener's vector against every track's by inner product, through a
  faiss index: exact under EXACT_BELOW tracks, else an inverted-file index (k-means lists, one in
  PROBE_SHARE searched: on 2 cores faiss's HNSW took 18 s to build for 100,000 tracks and 71 s for
  300,000, IVF 4 s and 5.5 s), the tracks they have played left out. `diversity` (0-1)
  re-ranks the best candidates by maximal marginal relevance (Carbonell and Goldstein 1998):
  each next track is worth its relevance less its likeness to those already chosen, trading
  accuracy for variety.

>>> from maestro_ai.catalog.features import content_vectors
>>> from maestro_ai.catalog.simulate import simulate
>>> world = simulate(listeners=60, tracks=300, plays=4000, seed=2)
>>> model = TasteModel.train(interactions_of(world), content_vectors(world.content_columns()), iterations=5)
>>> picks = model.recommend("u0", n=5)
>>> len(picks), all(t.startswith("t") for t, _ in picks)
(5, True)
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from maestro_ai.core.errors import InvalidRequest

FACTORS = 64
ITERATIONS = 15
REGULARIZATION = 0.05
ALPHA = 8.0  # confidence per unit of liking (Hu et al.'s alpha)
RIDGE = 1.0  # the content map's regularisation
COLD_WEIGHT = 3.0  # a track's content counts as much as this many listeners' plays
EXACT_BELOW = 50_000  # tracks: under this many the index is exact (IndexFlatIP), else inverted lists (IVF)
LISTS_PER_ROOT = 4  # an IVF index has this many lists per square root of the tracks (4,000 for a million)
PROBE_SHARE = 8  # one list in this many is searched per query (a million tracks: 500 of 4,000)
TRAIN_PER_LIST = 40  # k-means learns the lists from this many tracks per list (faiss asks for 39 or more)
CANDIDATES = 5  # with diversity, the re-ranking picks n from n times this many
MIN_PLAY_MS = 30_000  # a play shorter than this is a skip (the royalty engine's rule) ...
SKIP_SHARE = 0.9  # ... or, for a track shorter than that, a play of less than this share of it


@dataclass
class Interactions:
    """The play log as the model learns from it: a (listeners x tracks) sparse matrix of liking,
    the listeners' and tracks' ids in row order, and how many listeners played each track."""

    matrix: object  # scipy.sparse.csr_matrix, float32
    users: np.ndarray
    items: np.ndarray
    listeners: np.ndarray


def interactions(db, plays: str, tracks: dict[str, np.ndarray]) -> Interactions:
    """The liking matrix from the play-log view `plays` (DuckDB) for the catalogue `tracks`
    (columns: id, seconds); plays of tracks not in it are left out."""
    from scipy.sparse import csr_matrix

    catalogue = {"track_id": np.asarray(tracks["id"], dtype=object).astype(str),
                 "seconds": np.asarray(tracks["seconds"], dtype=np.float64), "item": np.arange(len(tracks["id"]))}
    db.register("catalogue", catalogue)
    rows = db.execute(f"""
        WITH liked AS (
            SELECT p.user_id, c.item,
                   sum(CASE WHEN p.ms_played < least({MIN_PLAY_MS}, {SKIP_SHARE * 1000} * c.seconds) THEN 0.0
                            ELSE least(1.0, p.ms_played / (1000.0 * greatest(c.seconds, 1.0))) END
                       + CASE WHEN p.source = 'library' THEN 1.0 ELSE 0.0 END) AS liking
            FROM {plays} AS p JOIN catalogue AS c ON c.track_id = CAST(p.track_id AS VARCHAR)
            GROUP BY p.user_id, c.item)
        SELECT dense_rank() OVER (ORDER BY user_id) - 1 AS user_row, user_id, item, liking FROM liked WHERE liking > 0
        ORDER BY user_row, item""").fetchnumpy()
    db.unregister("catalogue")
    user_rows = rows["user_row"].astype(np.int64)
    users = np.empty(int(user_rows.max()) + 1 if len(user_rows) else 0, dtype=object)
    users[user_rows] = rows["user_id"]
    matrix = csr_matrix((rows["liking"].astype(np.float32), (user_rows, rows["item"].astype(np.int64))),
                        shape=(len(users), len(catalogue["track_id"])))
    return Interactions(matrix, users, catalogue["track_id"].astype(object), np.bincount(rows["item"].astype(np.int64),
                                                                                         minlength=len(catalogue["track_id"])))


class TasteModel:
    """Listener and track vectors in one space, with the index that searches the tracks."""

    def __init__(self, users: np.ndarray, items: np.ndarray, user_vectors: np.ndarray, item_vectors: np.ndarray,
                 content: np.ndarray, seen, listeners: np.ndarray) -> None:
        self.users, self.items = users, items
        self.user_vectors, self.item_vectors = user_vectors, item_vectors
        self.content, self.seen, self.listeners = content, seen, listeners
        self.user_row = {u: n for n, u in enumerate(users)}
        self.popular = np.argsort(-listeners, kind="stable")
        self.index = _index(item_vectors)
        self.tracks: list[dict] = []  # what is shown of each track, when the model was loaded with it

    @classmethod
    def train(cls, data: Interactions, content: np.ndarray, factors: int = FACTORS, iterations: int = ITERATIONS,
              regularization: float = REGULARIZATION, seed: int = 0, threads: int = 2) -> TasteModel:
        """Learn from `data` (see `interactions`) and the tracks' `content` vectors (in the same order)."""
        from implicit.cpu.als import AlternatingLeastSquares
        from threadpoolctl import threadpool_limits

        if data.matrix.nnz == 0:
            raise InvalidRequest("the play log has no plays of the catalogue's tracks to learn from (maestro plays import FILE)")
        with threadpool_limits(1, "blas"):  # implicit runs its own threads; BLAS threads under it only contend
            als = AlternatingLeastSquares(factors=factors, regularization=regularization, alpha=ALPHA, iterations=iterations,
                                          random_state=seed, num_threads=threads)
            als.fit(data.matrix, show_progress=False)
        user_vectors = np.ascontiguousarray(als.user_factors, dtype=np.float32)
        learned = np.ascontiguousarray(als.item_factors, dtype=np.float32)
        played = data.listeners > 0
        mapped = content @ content_map(content[played], learned[played])
        heard = data.listeners[:, None].astype(np.float32)
        item_vectors = (learned * heard + mapped * COLD_WEIGHT) / (heard + COLD_WEIGHT)
        return cls(data.users, data.items, user_vectors, item_vectors.astype(np.float32), content, data.matrix, data.listeners)

    def recommend(self, user: str, n: int = 10, diversity: float = 0.0) -> list[tuple[str, float]]:
        """The `n` tracks `user` is most likely to want and has not played, with their scores; for
        a listener the model has not met, the tracks most listeners played."""
        if not 0.0 <= diversity <= 1.0:
            raise InvalidRequest(f"diversity is between 0 (most accurate) and 1 (most varied), not {diversity:g}")
        row = self.user_row.get(user)
        if row is None:
            return [(str(self.items[i]), float(self.listeners[i])) for i in self.popular[:n]]
        rows, scores = self.recommend_rows(np.array([row]), n, diversity)
        return [(str(self.items[i]), float(s)) for i, s in zip(rows[0], scores[0]) if i >= 0]

    def recommend_rows(self, user_rows: np.ndarray, n: int, diversity: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        """Track rows (-1 where fewer exist) and scores for many listeners at once (by row)."""
        seen = [self.seen.indices[self.seen.indptr[r]:self.seen.indptr[r + 1]] for r in user_rows]
        wanted = n * (CANDIDATES if diversity > 0 else 1)
        k = min(len(self.items), wanted + max((len(s) for s in seen), default=0))
        scores, found = self.index.search(self.user_vectors[user_rows], k)
        out_rows = np.full((len(user_rows), n), -1, dtype=np.int64)
        out_scores = np.zeros((len(user_rows), n), dtype=np.float32)
        for q, (rows, values) in enumerate(zip(found, scores)):
            keep = (rows >= 0) & ~np.isin(rows, seen[q])
            rows, values = rows[keep][:wanted], values[keep][:wanted]
            if diversity > 0 and len(rows) > n:
                picked = mmr(values, self.content[rows], n, diversity)
                rows, values = rows[picked], values[picked]
            out_rows[q, :len(rows[:n])], out_scores[q, :len(rows[:n])] = rows[:n], values[:n]
        return out_rows, out_scores

    def save(self, folder: Path | str, tracks: list[dict] | None = None) -> Path:
        """Write the model to `folder` whole (a new folder renamed into place), with what is shown
        of each track (`tracks`, in the model's order: title, artist, ...) as tracks.json."""
        import faiss

        folder = Path(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".taste-", dir=folder.parent))
        try:
            np.savez(work / "model.npz", users=self.users.astype(str), items=self.items.astype(str),
                     user_vectors=self.user_vectors, item_vectors=self.item_vectors, content=self.content,
                     listeners=self.listeners, seen_data=self.seen.data, seen_indices=self.seen.indices,
                     seen_indptr=self.seen.indptr, seen_shape=np.array(self.seen.shape))
            faiss.write_index(self.index, str(work / "items.faiss"))
            (work / "tracks.json").write_text(json.dumps(tracks or [], ensure_ascii=False), encoding="utf-8")
            (work / "model.json").write_text(json.dumps({"users": len(self.users), "tracks": len(self.items),
                                                         "factors": int(self.user_vectors.shape[1])}), encoding="utf-8")
            old = folder.with_name(folder.name + ".old")
            if folder.exists():
                os.replace(folder, old)
            os.replace(work, folder)
            shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        return folder

    @classmethod
    def load(cls, folder: Path | str) -> TasteModel:
        """A model `save` wrote (a clear error when there is none)."""
        import faiss
        from scipy.sparse import csr_matrix

        folder = Path(folder)
        if not (folder / "model.npz").is_file():
            raise InvalidRequest(f"there is no taste model in {str(folder)!r} yet: maestro taste train")
        with np.load(folder / "model.npz") as z:
            seen = csr_matrix((z["seen_data"], z["seen_indices"], z["seen_indptr"]), shape=tuple(z["seen_shape"]))
            model = cls.__new__(cls)
            model.users, model.items = z["users"].astype(object), z["items"].astype(object)
            model.user_vectors, model.item_vectors, model.content = z["user_vectors"], z["item_vectors"], z["content"]
            model.listeners, model.seen = z["listeners"], seen
        model.user_row = {u: n for n, u in enumerate(model.users)}
        model.popular = np.argsort(-model.listeners, kind="stable")
        model.index = faiss.read_index(str(folder / "items.faiss"))
        if isinstance(model.index, faiss.IndexIVFFlat):
            model.index.nprobe = max(1, model.index.nlist // PROBE_SHARE)
        model.tracks = json.loads((folder / "tracks.json").read_text(encoding="utf-8"))
        return model


def content_map(content: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """The ridge regression from content vectors to learned track factors: (content dims x factors)."""
    gram = content.T.astype(np.float64) @ content + RIDGE * np.eye(content.shape[1])
    return np.linalg.solve(gram, content.T.astype(np.float64) @ factors).astype(np.float32)


def mmr(relevance: np.ndarray, vectors: np.ndarray, n: int, diversity: float) -> np.ndarray:
    """Indices of `n` of the candidates, each chosen for its relevance (scaled 0-1) less
    `diversity` times its greatest likeness (cosine of `vectors`) to those already chosen.

    >>> mmr(np.array([1.0, 0.99, 0.5]), np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), 2, 0.5).tolist()
    [0, 2]
    """
    span = float(relevance.max() - relevance.min()) or 1.0
    scaled = (relevance - relevance.min()) / span
    likeness = vectors @ vectors.T
    chosen = [int(np.argmax(scaled))]
    closest = likeness[chosen[0]].copy()
    for _ in range(min(n, len(relevance)) - 1):
        worth = (1 - diversity) * scaled - diversity * closest
        worth[chosen] = -np.inf
        best = int(np.argmax(worth))
        chosen.append(best)
        closest = np.maximum(closest, likeness[best])
    return np.array(chosen)


def _index(vectors: np.ndarray):
    import faiss

    faiss.omp_set_num_threads(min(2, os.cpu_count() or 1))
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if len(vectors) < EXACT_BELOW:
        index = faiss.IndexFlatIP(vectors.shape[1])
    else:
        lists = int(LISTS_PER_ROOT * np.sqrt(len(vectors)))
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(vectors.shape[1]), vectors.shape[1], lists, faiss.METRIC_INNER_PRODUCT)
        sample = np.random.default_rng(0).choice(len(vectors), size=min(len(vectors), lists * TRAIN_PER_LIST), replace=False)
        index.train(vectors[np.sort(sample)])
        index.nprobe = max(1, lists // PROBE_SHARE)
    index.add(vectors)
    return index


def interactions_of(world, plays: np.ndarray | None = None) -> Interactions:
    """The liking matrix of a simulated world's plays (or of the plays selected by `plays`, a mask)."""
    import duckdb

    db = duckdb.connect()
    chosen = {k: (v if plays is None else v[plays]) for k, v in world.plays.items()
              if k in ("user_id", "track_id", "ms_played", "source")}
    db.register("log", chosen)
    return interactions(db, "log", {"id": world.tracks["id"], "seconds": world.tracks["seconds"]})
