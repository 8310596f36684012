use super::*;

const PERIOD: i64 = 900;

fn candidate(instance_id: Id, company_id: Id, last_checked_at: Option<Timestamp>, updated_at: Timestamp) -> HealthCandidate {
    HealthCandidate { instance_id, company_id, last_checked_at, updated_at }
}

#[test]
fn a_never_checked_instance_is_due_at_once() {
    let c = candidate(7, 1, None, 1_000);
    assert_eq!(due(&[c], 1_000, PERIOD), vec![c]);
    assert!(due(&[c], 999, PERIOD).is_empty());
}

#[test]
fn a_checked_instance_is_due_at_its_next_slot_within_one_period() {
    let c = candidate(7, 1, Some(10_000), 5_000);
    let at = next_due(&c, PERIOD);
    assert!(at > 10_000 && at <= 10_000 + PERIOD, "{at}");
    assert_eq!((at - slot_offset(7, PERIOD)).rem_euclid(PERIOD), 0);
    assert!(due(&[c], at - 1, PERIOD).is_empty());
    assert_eq!(due(&[c], at, PERIOD), vec![c]);
    // Checked at its slot, it is next due a whole period later.
    let again = candidate(7, 1, Some(at), 5_000);
    assert_eq!(next_due(&again, PERIOD), at + PERIOD);
}

#[test]
fn a_save_after_the_last_check_makes_it_due_at_once() {
    let c = candidate(7, 1, Some(10_000), 10_050);
    assert_eq!(next_due(&c, PERIOD), 10_050);
    assert_eq!(due(&[c], 10_050, PERIOD), vec![c]);
}

#[test]
fn slots_spread_many_instances_over_the_period() {
    let mut buckets = [0usize; 10];
    for id in 1..=1_000 {
        let offset = slot_offset(id, PERIOD);
        assert!((0..PERIOD).contains(&offset));
        buckets[(offset * 10 / PERIOD) as usize] += 1;
    }
    // No tenth of the period holds more than twice its share.
    assert!(buckets.iter().all(|&n| n > 50 && n < 200), "{buckets:?}");
}

#[test]
fn the_longest_waiting_come_first() {
    let a = candidate(1, 1, None, 300);
    let b = candidate(2, 1, None, 100);
    let c = candidate(3, 1, None, 200);
    let order: Vec<Id> = due(&[a, b, c], 1_000, PERIOD).iter().map(|c| c.instance_id).collect();
    assert_eq!(order, vec![2, 3, 1]);
}

#[test]
fn picking_respects_the_per_company_and_global_caps() {
    let limits = Limits { period: PERIOD, per_company: 2, global: 3 };
    let due = [
        candidate(1, 10, None, 0),
        candidate(2, 10, None, 0),
        candidate(3, 10, None, 0),
        candidate(4, 20, None, 0),
        candidate(5, 30, None, 0),
    ];
    let picked: Vec<Id> = pick(&due, &limits).iter().map(|c| c.instance_id).collect();
    assert_eq!(picked, vec![1, 2, 4]);
    let wide = Limits { global: 10, ..limits };
    let picked: Vec<Id> = pick(&due, &wide).iter().map(|c| c.instance_id).collect();
    assert_eq!(picked, vec![1, 2, 4, 5]);
}

#[test]
fn minutes_become_a_period_in_seconds() {
    assert_eq!(Limits::every_minutes(15).period, 900);
    assert_eq!(Limits::every_minutes(15).per_company, 2);
}
