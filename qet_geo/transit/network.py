"""Walking distance along a street network (a layer of lines), for PTAL and proximity.

The lines become a graph: their vertices are nodes (coordinates rounded to ``tolerance``
metres, so that lines meeting at a shared vertex connect), their segments edges weighted
by length. A point reaches the network at its nearest node (the straight line to it is
walked too); distances between nodes are shortest paths (Dijkstra, scipy), searched only
up to the largest catchment. Lines that cross without a shared vertex do not connect (as
in the street data: bridges and tunnels).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely


@dataclass
class StreetNetwork:
    nodes: np.ndarray  # n × 2
    graph: object  # scipy.sparse csr matrix of edge lengths

    @classmethod
    def from_lines(cls, lines, tolerance: float = 0.5) -> StreetNetwork:
        """From shapely (Multi)LineStrings in a metric CRS."""
        from scipy.sparse import coo_matrix

        parts = shapely.get_parts(np.asarray(lines, dtype=object))
        parts = parts[shapely.get_type_id(parts) == shapely.GeometryType.LINESTRING]
        coordinates, index = shapely.get_coordinates(parts, return_index=True)
        if len(coordinates) == 0:
            raise ValueError("the street layer has no lines")
        keys = np.round(coordinates / tolerance).astype(np.int64)
        _, first, node_of = np.unique(keys, axis=0, return_index=True, return_inverse=True)
        node_of = node_of.reshape(-1)
        nodes = coordinates[first]
        same_line = index[:-1] == index[1:]
        a, b = node_of[:-1][same_line], node_of[1:][same_line]
        length = np.hypot(*(coordinates[1:][same_line] - coordinates[:-1][same_line]).T)
        keep = a != b
        a, b, length = a[keep], b[keep], length[keep]
        n = len(nodes)
        graph = coo_matrix(
            (np.concatenate([length, length]), (np.concatenate([a, b]), np.concatenate([b, a]))),
            shape=(n, n),
        ).tocsr()
        return cls(nodes, graph)

    def pairs_within(self, points_xy: np.ndarray, targets_xy: np.ndarray, reach: float):
        """(point index, target index, walking metres) of every pair within ``reach`` along
        the network, including the straight walks to and from the network."""
        from scipy.sparse.csgraph import dijkstra
        from scipy.spatial import cKDTree

        tree = cKDTree(self.nodes)
        point_gap, point_node = tree.query(points_xy, k=1)
        target_gap, target_node = tree.query(targets_xy, k=1)
        out_p, out_t, out_d = [], [], []
        if len(targets_xy) == 0 or len(points_xy) == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        # from each target's node, the network distance to every node within reach
        unique_nodes, target_group = np.unique(target_node, return_inverse=True)
        distances = dijkstra(self.graph, directed=False, indices=unique_nodes, limit=reach)
        points_by_node = {}
        for p, node in enumerate(point_node.tolist()):
            points_by_node.setdefault(node, []).append(p)
        for t in range(len(targets_xy)):
            row = distances[target_group.reshape(-1)[t]]
            reached = np.flatnonzero(np.isfinite(row))
            for node in reached.tolist():
                for p in points_by_node.get(node, ()):
                    d = point_gap[p] + row[node] + target_gap[t]
                    if d <= reach:
                        out_p.append(p)
                        out_t.append(t)
                        out_d.append(d)
        return np.asarray(out_p, np.int64), np.asarray(out_t, np.int64), np.asarray(out_d, float)
