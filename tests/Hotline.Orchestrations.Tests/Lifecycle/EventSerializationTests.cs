using System.Text.Json;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Profiles;
using static Hotline.Orchestrations.Tests.Lifecycle.Story;

namespace Hotline.Orchestrations.Tests.Lifecycle;

public sealed class EventSerializationTests
{
    [Fact]
    public void Every_event_and_the_state_round_trip_through_json_with_their_type_names()
    {
        var story = new Story("fujian").Submitted(MatterType.Help, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00")).Signed(T("2026-03-02 10:30"))
            .Do(new ApplyForExtension(Unit, 2, "需协调"), T("2026-03-03 10:00"))
            .Do(new DecideExtension(Dispatcher, true, null), T("2026-03-03 11:00"))
            .Replied(T("2026-03-04 10:00"))
            .Do(new ReviewReply(Dispatcher, true, null), T("2026-03-04 11:00"))
            .Do(new EvaluateMatter(CallCentre, EvaluationResult.Unsatisfied, null), T("2026-03-05 10:00"))
            .Do(new VerifyEvaluation(Dispatcher, true, "核实属实"), T("2026-03-05 11:00"));

        var options = ProfileCatalog.JsonOptions;
        var json = JsonSerializer.Serialize<IReadOnlyList<MatterEvent>>(story.History, options);
        Assert.Contains("\"event\":\"extensionApproved\"", json);
        Assert.Contains("+08:00", json);

        var back = JsonSerializer.Deserialize<List<MatterEvent>>(json, options)!;
        Assert.Equal(story.History.Select(e => e.GetType()), back.Select(e => e.GetType()));
        var replayed = Matter.Replay(back);
        Assert.Equal(story.Matter.Deadlines, replayed.Deadlines);
        Assert.Equal(story.Matter.Timeline, replayed.Timeline);

        var state = JsonSerializer.Deserialize<Matter>(JsonSerializer.Serialize(story.Matter, options), options)!;
        Assert.Equal(story.Matter.Version, state.Version);
        Assert.Equal(story.Matter.Deadlines, state.Deadlines);
        Assert.Equal(story.Matter.Extensions, state.Extensions);
        Assert.Equal(MatterAlarms.Of(story.Matter), MatterAlarms.Of(state));
    }
}
