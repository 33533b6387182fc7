//! AWS CloudTrail for localorg: every call recorded as a management event (the kernel's audit
//! sink, [`CloudTrailRecorder`]), `LookupEvents` over them, and trails — single-account and
//! organization trails — delivered into S3 buckets through the kernel's object-delivery port
//! ([`deliver`]).

mod core;
mod delivery;
mod event;
mod family;
mod lookup;
mod recorder;
mod records;
mod trails;

use std::marker::PhantomData;

use localorg_kernel::Ctx;
use localorg_model::generated::cloudtrail::*;
use localorg_model::ApiError;

pub use delivery::deliver;
pub use family::CloudTrailFamily;
pub use recorder::{CloudTrailRecorder, FLUSH_INTERVAL};

/// CloudTrail's API (stateless: all state is in the store).
pub struct CloudTrail<'a>(PhantomData<&'a ()>);

impl CloudTrail<'_> {
    /// The service.
    pub fn new() -> Self {
        CloudTrail(PhantomData)
    }
}

impl Default for CloudTrail<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> CloudTrailApi for CloudTrail<'a> {
    type Ctx = Ctx<'a>;

    fn lookup_events(
        &self,
        ctx: &mut Self::Ctx,
        input: LookupEventsRequest,
    ) -> Result<LookupEventsResponse, ApiError> {
        lookup::lookup_events(ctx, input)
    }

    fn create_trail(
        &self,
        ctx: &mut Self::Ctx,
        input: CreateTrailRequest,
    ) -> Result<CreateTrailResponse, ApiError> {
        trails::create_trail(ctx, input)
    }

    fn update_trail(
        &self,
        ctx: &mut Self::Ctx,
        input: UpdateTrailRequest,
    ) -> Result<UpdateTrailResponse, ApiError> {
        trails::update_trail(ctx, input)
    }

    fn get_trail(
        &self,
        ctx: &mut Self::Ctx,
        input: GetTrailRequest,
    ) -> Result<GetTrailResponse, ApiError> {
        trails::get_trail(ctx, input)
    }

    fn describe_trails(
        &self,
        ctx: &mut Self::Ctx,
        input: DescribeTrailsRequest,
    ) -> Result<DescribeTrailsResponse, ApiError> {
        trails::describe_trails(ctx, input)
    }

    fn list_trails(
        &self,
        ctx: &mut Self::Ctx,
        input: ListTrailsRequest,
    ) -> Result<ListTrailsResponse, ApiError> {
        trails::list_trails(ctx, input)
    }

    fn delete_trail(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteTrailRequest,
    ) -> Result<DeleteTrailResponse, ApiError> {
        trails::delete_trail(ctx, input)
    }

    fn start_logging(
        &self,
        ctx: &mut Self::Ctx,
        input: StartLoggingRequest,
    ) -> Result<StartLoggingResponse, ApiError> {
        trails::start_logging(ctx, input)
    }

    fn stop_logging(
        &self,
        ctx: &mut Self::Ctx,
        input: StopLoggingRequest,
    ) -> Result<StopLoggingResponse, ApiError> {
        trails::stop_logging(ctx, input)
    }

    fn get_trail_status(
        &self,
        ctx: &mut Self::Ctx,
        input: GetTrailStatusRequest,
    ) -> Result<GetTrailStatusResponse, ApiError> {
        trails::get_trail_status(ctx, input)
    }

    fn put_event_selectors(
        &self,
        ctx: &mut Self::Ctx,
        input: PutEventSelectorsRequest,
    ) -> Result<PutEventSelectorsResponse, ApiError> {
        trails::put_event_selectors(ctx, input)
    }

    fn get_event_selectors(
        &self,
        ctx: &mut Self::Ctx,
        input: GetEventSelectorsRequest,
    ) -> Result<GetEventSelectorsResponse, ApiError> {
        trails::get_event_selectors(ctx, input)
    }

    fn add_tags(
        &self,
        ctx: &mut Self::Ctx,
        input: AddTagsRequest,
    ) -> Result<AddTagsResponse, ApiError> {
        trails::add_tags(ctx, input)
    }

    fn remove_tags(
        &self,
        ctx: &mut Self::Ctx,
        input: RemoveTagsRequest,
    ) -> Result<RemoveTagsResponse, ApiError> {
        trails::remove_tags(ctx, input)
    }

    fn list_tags(
        &self,
        ctx: &mut Self::Ctx,
        input: ListTagsRequest,
    ) -> Result<ListTagsResponse, ApiError> {
        trails::list_tags(ctx, input)
    }
}
