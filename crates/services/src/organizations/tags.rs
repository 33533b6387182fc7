//! Organizations: tags.

use localorg_model::generated::organizations::{
    ListTagsForResourceRequest, ListTagsForResourceResponse, TagResourceRequest,
    UntagResourceRequest,
};
use localorg_model::ApiError;

use crate::tx::Ctx;

/// `TagResource`.
pub(super) fn tag_resource(ctx: &mut Ctx<'_>, input: TagResourceRequest) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("Organizations", "TagResource"))
}

/// `UntagResource`.
pub(super) fn untag_resource(
    ctx: &mut Ctx<'_>,
    input: UntagResourceRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("Organizations", "UntagResource"))
}

/// `ListTagsForResource`.
pub(super) fn list_tags_for_resource(
    ctx: &mut Ctx<'_>,
    input: ListTagsForResourceRequest,
) -> Result<ListTagsForResourceResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "ListTagsForResource",
    ))
}
