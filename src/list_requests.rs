//! The `manage connectors` list's requests: the first page of every card
//! whenever the filter changes (the request before it is aborted, and an
//! answer that is no longer the newest never changes what is shown), `load
//! more` on one card, and [`ListRequests::reload`] for whatever learns that
//! an instance changed. The rules are in [`crate::filter`].

use conduit_types::list_query::DEFAULT_PAGE_SIZE;
use conduit_types::{ConnectorChoice, ConnectorSummary, Id, ListFilter, ListQuery};
use leptos::{prelude::*, task::spawn_local};

use crate::api::{ApiClient, ApiError};
use crate::filter::{append_page, more_button_id, rows_to_keep, Latest};

/// The cards as the list shows them: `None` until the first answer.
pub type Cards = RwSignal<Option<Result<Vec<ConnectorSummary>, ApiError>>>;

/// The list's state and its requests. The page makes one and puts it in
/// context, so anything on the page can ask for a [`reload`](Self::reload).
#[derive(Clone, Copy)]
pub struct ListRequests {
    api: ApiClient,
    /// What narrows the list (the page keeps it in its address).
    pub filter: RwSignal<ListFilter>,
    pub cards: Cards,
    /// Every installed connector, for the connector filter.
    pub choices: RwSignal<Vec<ConnectorChoice>>,
    /// A request for the cards is on its way.
    pub loading: RwSignal<bool>,
    /// The card whose next page is on its way.
    pub loading_more: RwSignal<Option<Id>>,
    /// Why the last `load more` failed, as a sentence.
    pub more_error: RwSignal<Option<String>>,
    /// Where focus goes once the list has drawn a change (an element id).
    pub focus: RwSignal<Option<String>>,
    latest: StoredValue<Latest>,
    abort: StoredValue<Option<web_sys::AbortController>, LocalStorage>,
    reloads: Trigger,
}

impl ListRequests {
    pub fn new(api: ApiClient, filter: RwSignal<ListFilter>) -> ListRequests {
        ListRequests {
            api,
            filter,
            cards: RwSignal::new(None),
            choices: RwSignal::new(Vec::new()),
            loading: RwSignal::new(false),
            loading_more: RwSignal::new(None),
            more_error: RwSignal::new(None),
            focus: RwSignal::new(None),
            latest: StoredValue::new(Latest::default()),
            abort: StoredValue::new_local(None),
            reloads: Trigger::new(),
        }
    }

    /// Fetches the cards whenever the filter changes or a reload is asked
    /// for, for as long as the calling owner lives.
    pub fn follow(self) {
        Effect::new(move |previous: Option<ListFilter>| {
            self.reloads.track();
            let filter = self.filter.get();
            // The same filter again is a reload: keep what `load more` added.
            let limit = if previous.as_ref() == Some(&filter) {
                self.cards.with_untracked(|c| match c {
                    Some(Ok(cards)) => rows_to_keep(cards),
                    _ => DEFAULT_PAGE_SIZE,
                })
            } else {
                DEFAULT_PAGE_SIZE
            };
            self.fetch(ListQuery { filter: filter.clone(), limit, after: None });
            filter
        });
    }

    /// Fetches the current filter's cards again (an instance was added,
    /// saved, tested or removed), keeping as many rows as are shown.
    pub fn reload(self) {
        self.reloads.notify();
    }

    fn fetch(self, query: ListQuery) {
        let ticket = self.latest.try_update_value(Latest::issue).unwrap_or_default();
        let signal = self.abort.try_update_value(|abort| {
            if let Some(previous) = abort.take() {
                previous.abort();
            }
            *abort = web_sys::AbortController::new().ok();
            abort.as_ref().map(|a| a.signal())
        });
        self.loading.set(true);
        self.more_error.set(None);
        spawn_local(async move {
            let answer = self.api.connectors(&query, signal.flatten().as_ref()).await;
            if !self.is_current(ticket) || answer == Err(ApiError::Cancelled) {
                return;
            }
            self.loading.set(false);
            self.loading_more.set(None);
            self.cards.set(Some(answer.map(|list| {
                self.choices.set(list.choices);
                list.connectors
            })));
            crate::paint_mark::after_paint(crate::paint_mark::LIST_PAINTED);
        });
    }

    fn is_current(self, ticket: u64) -> bool {
        self.latest.try_with_value(|l| l.is_current(ticket)).unwrap_or(false)
    }

    /// Fetches the next page of card `id`'s instances and adds it to the
    /// card; focus moves to its first new row (or back to the button when
    /// the page could not be loaded). Ignored when the list is fetched
    /// afresh meanwhile.
    pub fn load_more(self, id: Id) {
        let Some((slug, after)) = self.cards.with_untracked(|cards| match cards {
            Some(Ok(cards)) => cards.iter().find(|c| c.id == id).and_then(|c| Some((c.slug.clone(), c.next.clone()?))),
            _ => None,
        }) else {
            return;
        };
        if self.loading_more.get_untracked().is_some() {
            return;
        }
        let ticket = self.latest.try_with_value(Latest::current).unwrap_or_default();
        let filter = ListFilter { connector: Some(slug), ..self.filter.get_untracked() };
        let query = ListQuery { filter, limit: DEFAULT_PAGE_SIZE, after: Some(after.clone()) };
        self.loading_more.set(Some(id));
        self.more_error.set(None);
        spawn_local(async move {
            let answer = self.api.connectors(&query, None).await;
            if !self.is_current(ticket) {
                return;
            }
            self.loading_more.set(None);
            match answer.map(|list| list.connectors.into_iter().find(|c| c.id == id)) {
                Ok(Some(page)) => {
                    let first = page.instances.first().map(|i| i.id);
                    let mut added = None;
                    self.cards.update(|cards| {
                        if let Some(Ok(cards)) = cards {
                            added = append_page(cards, page, &after);
                        }
                    });
                    if added.is_some() {
                        self.focus.set(first.map(crate::filter::row_id));
                    }
                }
                // The connector is gone (uninstalled meanwhile): start afresh.
                Ok(None) => self.reload(),
                Err(error) => {
                    self.more_error.set(Some(format!("More instances could not be loaded. {error}")));
                    self.focus.set(Some(more_button_id(id)));
                }
            }
        });
    }
}
