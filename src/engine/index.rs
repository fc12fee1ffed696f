//! The box index: an R-tree of bounding boxes and the candidate pairs it
//! yields — the filter step every join, overlay, distance and topology check
//! starts from before the exact refine step.
//!
//! Entries carry the row position (`u32`) of what they bound: a feature of a
//! layer, an edge of a polygon. Boxes are in the layer's CRS.

use geo::BoundingRect;
use geo_types::{Coord, Geometry, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

/// An R-tree of boxes, each with the row position of what it bounds.
pub(crate) type BoxTree = RTree<GeomWithData<Rectangle<[f64; 2]>, u32>>;

/// The envelope of a rectangle.
pub(crate) fn envelope(r: &Rect<f64>) -> AABB<[f64; 2]> {
    AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y])
}

/// The envelope of the segment `a→b`.
pub(crate) fn segment_envelope(a: Coord<f64>, b: Coord<f64>) -> AABB<[f64; 2]> {
    AABB::from_corners([a.x, a.y], [b.x, b.y])
}

/// `e` grown by `d` on every side.
pub(crate) fn widened(e: &AABB<[f64; 2]>, d: f64) -> AABB<[f64; 2]> {
    let (lo, hi) = (e.lower(), e.upper());
    AABB::from_corners([lo[0] - d, lo[1] - d], [hi[0] + d, hi[1] + d])
}

/// The bounding box of each geometry (`None` for a null or empty one).
pub(crate) fn boxes(geoms: &[Option<Geometry<f64>>]) -> Vec<Option<Rect<f64>>> {
    geoms
        .iter()
        .map(|g| g.as_ref().and_then(|g| g.bounding_rect()))
        .collect()
}

/// Bulk-load `(row, envelope)` entries.
pub(crate) fn tree_of(entries: impl IntoIterator<Item = (u32, AABB<[f64; 2]>)>) -> BoxTree {
    RTree::bulk_load(
        entries
            .into_iter()
            .map(|(i, e)| GeomWithData::new(Rectangle::from_aabb(e), i))
            .collect(),
    )
}

/// An R-tree of the boxes that are there, keyed by their position in `boxes`.
pub(crate) fn box_tree(boxes: &[Option<Rect<f64>>]) -> BoxTree {
    tree_of(
        boxes
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((i as u32, envelope(r.as_ref()?)))),
    )
}

/// The rows of the boxes in `tree` that meet `env` (in no particular order).
pub(crate) fn hits<'a>(tree: &'a BoxTree, env: &AABB<[f64; 2]>) -> impl Iterator<Item = u32> + 'a {
    tree.locate_in_envelope_intersecting(env).map(|h| h.data)
}

/// Candidate pairs `(left, right)` whose boxes meet, sorted.
pub(crate) fn candidate_pairs(
    left: &[Option<Rect<f64>>],
    right: &[Option<Rect<f64>>],
) -> Vec<(u32, u32)> {
    let tree = box_tree(right);
    let mut pairs: Vec<(u32, u32)> = left
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((i as u32, envelope(r.as_ref()?))))
        .flat_map(|(i, e)| hits(&tree, &e).map(move |j| (i, j)).collect::<Vec<_>>())
        .collect();
    pairs.sort_unstable();
    pairs
}

/// Candidate pairs `(k, l)` with `k < l` among one set of boxes, sorted.
pub(crate) fn self_pairs(boxes: &[Option<Rect<f64>>]) -> Vec<(u32, u32)> {
    let mut pairs = candidate_pairs(boxes, boxes);
    pairs.retain(|&(k, l)| k < l);
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::coord;

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Option<Rect<f64>> {
        Some(Rect::new(coord! { x: x0, y: y0 }, coord! { x: x1, y: y1 }))
    }

    #[test]
    fn pairs_of_meeting_boxes_touching_included_nulls_skipped() {
        let left = vec![rect(0.0, 0.0, 1.0, 1.0), None, rect(5.0, 5.0, 6.0, 6.0)];
        let right = vec![rect(1.0, 0.0, 2.0, 1.0), rect(0.5, 0.5, 5.5, 5.5), None];
        assert_eq!(candidate_pairs(&left, &right), vec![(0, 0), (0, 1), (2, 1)]);
        let all = vec![
            rect(0.0, 0.0, 1.0, 1.0),
            rect(1.0, 1.0, 2.0, 2.0),
            rect(3.0, 3.0, 4.0, 4.0),
        ];
        assert_eq!(self_pairs(&all), vec![(0, 1)]);
    }
}
