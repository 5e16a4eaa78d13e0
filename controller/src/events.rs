//! Kubernetes Events of ProfileJobs, published without a cache.
//!
//! kube's `Recorder` keeps every Event it published for six minutes, keyed by the object and the
//! reason, so that a repeat becomes a series (count, last seen) instead of a new Event, and it
//! scans that whole cache on each publish. A ProfileJob's Events are one per transition
//! (Submitted, Running, Succeeded...), so nothing repeats there, while 10,000 jobs in flight would
//! keep about 30,000 Events (each with its object reference and note) in memory and scan them
//! 30,000 times. This publisher creates each Event as it comes and keeps nothing.

use k8s_openapi::api::core::v1::ObjectReference;
use k8s_openapi::api::events::v1::Event as K8sEvent;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta};
use k8s_openapi::jiff::Timestamp;
use kube::Client;
use kube::api::{Api, PostParams};
use kube::runtime::events::{Event, EventType, Reporter};

/// Creates `events.k8s.io/v1` Events for objects, as kube's `Recorder` does for a first
/// occurrence, without remembering them.
#[derive(Clone)]
pub struct EventPublisher {
    client: Client,
    reporter: Reporter,
}

impl EventPublisher {
    /// A publisher reporting as `reporter`.
    pub fn new(client: Client, reporter: Reporter) -> Self {
        Self { client, reporter }
    }

    /// Creates `event` about `regarding` in its namespace.
    pub async fn publish(&self, event: &Event, regarding: &ObjectReference) -> Result<(), kube::Error> {
        let namespace = regarding.namespace.as_deref().unwrap_or("default");
        let api: Api<K8sEvent> = Api::namespaced(self.client.clone(), namespace);
        api.create(&PostParams::default(), &self.event(event, regarding, Timestamp::now())).await?;
        Ok(())
    }

    /// The Event object for `event` about `regarding` at `now`.
    fn event(&self, event: &Event, regarding: &ObjectReference, now: Timestamp) -> K8sEvent {
        let controller = &self.reporter.controller;
        K8sEvent {
            action: Some(event.action.clone()),
            reason: Some(event.reason.clone()),
            event_time: Some(MicroTime(now)),
            regarding: Some(regarding.clone()),
            related: event.secondary.clone(),
            note: event.note.clone(),
            metadata: ObjectMeta {
                namespace: regarding.namespace.clone(),
                name: Some(format!("{}.{:x}", regarding.name.as_ref().unwrap_or(controller), now.as_nanosecond())),
                ..ObjectMeta::default()
            },
            reporting_controller: Some(controller.clone()),
            reporting_instance: Some(self.reporter.instance.clone().unwrap_or_else(|| controller.clone())),
            type_: Some(
                match event.type_ {
                    EventType::Normal => "Normal",
                    EventType::Warning => "Warning",
                }
                .to_owned(),
            ),
            ..K8sEvent::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_event_names_its_object_reporter_and_reason() {
        let (service, _handle) =
            tower_test::mock::pair::<http::Request<kube::client::Body>, http::Response<kube::client::Body>>();
        let publisher = EventPublisher::new(
            Client::new(service, "default"),
            Reporter { controller: "profiler-operator".into(), instance: Some("pod-1".into()) },
        );
        let regarding = ObjectReference {
            kind: Some("ProfileJob".into()),
            name: Some("orders".into()),
            namespace: Some("team-a".into()),
            ..ObjectReference::default()
        };
        let event = Event {
            type_: EventType::Warning,
            reason: "Retrying".into(),
            note: Some("attempt 1 failed".into()),
            action: "Retrying".into(),
            secondary: None,
        };
        let now = Timestamp::from_second(1_700_000_000).expect("a timestamp");
        let k8s = publisher.event(&event, &regarding, now);
        assert_eq!(k8s.metadata.namespace.as_deref(), Some("team-a"));
        assert_eq!(k8s.metadata.name, Some(format!("orders.{:x}", now.as_nanosecond())));
        assert_eq!((k8s.reason.as_deref(), k8s.type_.as_deref()), (Some("Retrying"), Some("Warning")));
        assert_eq!(k8s.reporting_instance.as_deref(), Some("pod-1"));
        assert_eq!(k8s.regarding, Some(regarding));
        assert_eq!(k8s.series, None);
    }
}
