using System.Diagnostics.Metrics;
using Hotline.Orchestrations.Lifecycle;

namespace Hotline.Runtime;

/// <summary>
/// The <c>Hotline</c> meter, exported by both hosts through OpenTelemetry (Application Insights in Azure: the
/// alert rules and the workbook in infra/ read these names). Tags carry no personal data: channel, organizer
/// unit, alarm kind, supervision reason.
/// </summary>
public static class HotlineMetrics
{
    public static readonly Meter Meter = new("Hotline");

    private static readonly Counter<long> Received = Meter.CreateCounter<long>("hotline.matters.received", description: "Matters received, by channel.");
    private static readonly Counter<long> Overdue = Meter.CreateCounter<long>("hotline.matters.overdue", description: "Deadlines missed, by organizer and alarm kind.");
    private static readonly Counter<long> Supervised = Meter.CreateCounter<long>("hotline.matters.supervised", description: "Matters put under supervision, by reason.");
    private static readonly Histogram<double> AlarmDelay = Meter.CreateHistogram<double>("hotline.alarms.delay", unit: "s", description: "From a deadline to its alarm being fired.");
    private static readonly Counter<long> SmsSent = Meter.CreateCounter<long>("hotline.sms.sent", description: "SMS accepted by the sender, by notice kind.");
    private static readonly Counter<long> SmsFailed = Meter.CreateCounter<long>("hotline.sms.failed", description: "SMS attempts that failed (each is retried), by notice kind.");
    private static readonly Counter<long> Poisoned = Meter.CreateCounter<long>("hotline.effects.poisoned", description: "Effects moved to the poison list after their last attempt, by kind.");

    private static readonly AlarmKind[] Missed = [AlarmKind.DispatchDue, AlarmKind.SignOffOverdue, AlarmKind.ContactDue, AlarmKind.HandlingDue];

    /// <summary>What a committed change tells the meter.</summary>
    public static void Committed(Matter state, IReadOnlyList<MatterEvent> events, DateTimeOffset now)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case MatterSubmitted s:
                    Received.Add(1, new KeyValuePair<string, object?>("channel", s.Intake.Channel.ToString()));
                    break;
                case AlarmFired f:
                    AlarmDelay.Record(Math.Max(0, (now - f.Alarm.At).TotalSeconds), new KeyValuePair<string, object?>("kind", f.Alarm.Kind.ToString()));
                    if (Missed.Contains(f.Alarm.Kind))
                    {
                        Overdue.Add(1, new KeyValuePair<string, object?>("organizer", state.Organizer ?? "(none)"), new KeyValuePair<string, object?>("kind", f.Alarm.Kind.ToString()));
                    }
                    break;
                case SupervisionStarted s:
                    Supervised.Add(1, new KeyValuePair<string, object?>("reason", s.Reason.ToString()));
                    break;
            }
        }
    }

    public static void Sms(string noticeKind, bool sent) =>
        (sent ? SmsSent : SmsFailed).Add(1, new KeyValuePair<string, object?>("notice", noticeKind));

    public static void EffectPoisoned(string kind) => Poisoned.Add(1, new KeyValuePair<string, object?>("kind", kind));
}
