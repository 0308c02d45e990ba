using System.Globalization;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Profiles;
using Hotline.Orchestrations.Time;

namespace Hotline.Orchestrations.Tests.Lifecycle;

/// <summary>Walks one matter through commands at given instants, keeping its state and history.</summary>
internal sealed class Story(string profileId)
{
    public const string Lead = "district-water";
    public const string Other = "district-housing";

    public MatterLifecycle Lifecycle { get; } = MatterLifecycle.For(ProfileCatalog.Get(profileId), HolidayCalendar.Embedded);
    public Matter? State { get; private set; }
    public Matter Matter => State ?? throw new InvalidOperationException("No matter yet.");
    public List<MatterEvent> History { get; } = [];

    public static readonly Actor CallCentre = Actor.ChannelSystem("call-centre");
    public static readonly Actor Dispatcher = Actor.Staff("dispatcher-1");
    public static readonly Actor Unit = Actor.Organizer(Lead);

    /// <summary>An instant in China Standard Time, written as "yyyy-MM-dd HH:mm".</summary>
    public static DateTimeOffset T(string cst) =>
        DateTimeOffset.ParseExact(cst + " +08:00", "yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);

    public static Intake IntakeOf(MatterType type, Urgency urgency = Urgency.Normal, string category = "water-pressure", DateTimeOffset? receivedAt = null) =>
        new(Channel.Phone, "call-0001", type, urgency, category, "水压不足", "三楼以上没有自来水",
            new Location("幸福路12号", "east", 36.7, 119.1), new Citizen("张三", "13800000000", Confidential: false), receivedAt ?? T("2026-03-02 09:00"));

    public Story Submitted(MatterType type, DateTimeOffset at, Urgency urgency = Urgency.Normal, string category = "water-pressure") =>
        Do(new SubmitMatter(CallCentre, "M-1", IntakeOf(type, urgency, category, at)), at);

    /// <param name="coOrganizers">None by default: the lead's own clocks are what most rules are about (see CoOrganizerRuleTests).</param>
    public Story Dispatched(DateTimeOffset at, bool designated = false, int? statutoryLimit = null, IReadOnlyList<string>? coOrganizers = null) =>
        Do(new DispatchMatter(Dispatcher, Lead, coOrganizers ?? [], designated, statutoryLimit), at);

    public Story Signed(DateTimeOffset at) => Do(new SignMatter(Unit), at);

    public Story Replied(DateTimeOffset at, bool withPhoto = true) =>
        Do(new SubmitReply(Unit, "已修复管道，水压恢复正常", withPhoto ? [new EvidenceRef("m-1/photo-1.jpg", "image/jpeg", 120_000)] : []), at);

    public Story Do(MatterCommand command, DateTimeOffset at)
    {
        var (decision, state) = Lifecycle.Apply(State, command, at);
        Assert.True(decision.Accepted, $"{command.GetType().Name} was refused: {decision.Refusal}");
        State = state;
        History.AddRange(decision.Events);
        return this;
    }

    /// <summary>Asserts the command is refused with the code, and that nothing changed.</summary>
    public Refusal Refuses(MatterCommand command, DateTimeOffset at, string code)
    {
        var before = State;
        var decision = Lifecycle.Decide(State, command, at);
        Assert.False(decision.Accepted, $"{command.GetType().Name} was accepted but should be refused with {code}.");
        Assert.Equal(code, decision.Refusal!.Code);
        Assert.Empty(decision.Events);
        Assert.Same(before, State);
        return decision.Refusal;
    }

    public Story Fire(AlarmKind kind, DateTimeOffset? at = null)
    {
        var alarm = MatterAlarms.Of(Matter).Single(a => a.Kind == kind);
        return Do(new FireAlarm(alarm), at ?? alarm.At);
    }
}
