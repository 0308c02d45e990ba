using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Orchestration;
using Hotline.Testing;
using static Hotline.Runtime.Tests.RuntimeHarness;

namespace Hotline.Runtime.Tests;

/// <summary>
/// A deterministic stand-in for the durable engine: per round, the test says whether the timer or the signal
/// wins; the fake completes the winner, observes the loser's cancellation, and runs activities on the real runtime.
/// </summary>
internal sealed class FakeOrchestrationContext(string instanceId, MatterOrchestrationActivities activities, AdjustableClock clock) : IMatterOrchestrationContext
{
    public enum Winner { Timer, Signal }

    public Queue<Winner> Script { get; } = new();
    public List<string> Calls { get; } = [];
    public List<DateTime> Timers { get; } = [];
    public int CancelledLosers { get; private set; }
    public object? CustomStatus { get; private set; }
    public object? ContinuedWith { get; private set; }

    public string InstanceId => instanceId;

    public DateTime CurrentUtcDateTime => clock.GetUtcNow().UtcDateTime;

    private Winner? _round;

    public void NewRound()
    {
        ContinuedWith = null;
        _round = Script.Count > 0 ? Script.Dequeue() : null;
    }

    public Task CreateTimer(DateTime fireAtUtc, CancellationToken cancellationToken)
    {
        Timers.Add(fireAtUtc);
        if (_round == Winner.Timer)
        {
            // A durable timer fires at its instant: the clock is there when the activity runs.
            clock.Set(new DateTimeOffset(fireAtUtc, TimeSpan.Zero));
            return Task.CompletedTask;
        }
        return Pending(cancellationToken);
    }

    public Task WaitForSignal(string name, CancellationToken cancellationToken)
    {
        Assert.Equal(MatterOrchestration.ChangedSignal, name);
        return _round == Winner.Signal ? Task.CompletedTask : Pending(cancellationToken);
    }

    public async Task<T> CallActivityAsync<T>(string name, object input, ActivityRetry retry)
    {
        Calls.Add(name);
        object result = name switch
        {
            MatterOrchestration.NextAlarmActivity => await activities.NextAlarmAsync((string)input),
            MatterOrchestration.FireAlarmActivity => await activities.FireAlarmAsync((FireAlarmInput)input),
            _ => throw new InvalidOperationException(name),
        };
        return (T)result;
    }

    public void SetCustomStatus(object? status) => CustomStatus = status;

    public void ContinueAsNew(object input) => ContinuedWith = input;

    private Task Pending(CancellationToken cancellationToken)
    {
        var pending = new TaskCompletionSource();
        cancellationToken.Register(() =>
        {
            CancelledLosers++;
            pending.TrySetCanceled(cancellationToken);
        });
        return pending.Task;
    }

    /// <summary>Runs rounds until the orchestration ends or the script runs out; returns how many rounds ran.</summary>
    public async Task<int> RunAsync(string matterId, int maxRounds = 20)
    {
        var rounds = 0;
        do
        {
            NewRound();
            await MatterOrchestration.RunAsync(this, matterId);
            rounds++;
        }
        while (ContinuedWith is not null && Script.Count > 0 && rounds < maxRounds);
        return rounds;
    }
}

[Collection("Azurite")]
public sealed class OrchestrationTests(AzuriteFixture azurite)
{
    private static FakeOrchestrationContext Context(RuntimeHarness host, string id) =>
        new(MatterOrchestration.InstanceId(id), host.Get<MatterOrchestrationActivities>(), host.Clock);

    [Fact]
    public async Task When_the_timer_wins_the_alarm_fires_through_the_command_path_and_the_orchestration_continues_as_new()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var id = await host.SubmitAsync("o-1");
        await host.DoAsync(id, new DispatchMatter(Dispatcher, "water", []));
        var context = Context(host, id);
        context.Script.Enqueue(FakeOrchestrationContext.Winner.Timer);
        context.Script.Enqueue(FakeOrchestrationContext.Winner.Timer);

        await context.RunAsync(id);

        Assert.Equal("matter-" + id, context.InstanceId);
        Assert.Equal([T("2026-03-02 10:30").UtcDateTime, T("2026-03-02 11:00").UtcDateTime], context.Timers);
        Assert.Equal(2, context.CancelledLosers); // the signal waits were cancelled
        Assert.Equal(id, context.ContinuedWith);
        var state = (await host.Get<Hotline.Runtime.Store.MatterStore>().LoadAsync(id))!.State;
        Assert.Equal([AlarmKind.SignOffReminder, AlarmKind.SignOffOverdue], state.FiredAlarms.Select(a => a.Kind));
        Assert.True(state.Supervised);
        var status = Assert.IsType<OrchestrationStatus>(context.CustomStatus);
        Assert.Equal((MatterStatus.AwaitingSignOff, AlarmKind.SignOffOverdue), (status.Status!.Value, status.NextAlarm!.Value));
    }

    [Fact]
    public async Task When_the_signal_wins_the_timer_is_cancelled_and_the_next_round_reads_the_new_deadline()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var id = await host.SubmitAsync("o-2");
        await host.DoAsync(id, new DispatchMatter(Dispatcher, "water", []));
        var context = Context(host, id);

        await host.DoAsync(id, new SignMatter(Actor.Organizer("water"))); // the handler's change signals the instance
        context.Script.Enqueue(FakeOrchestrationContext.Winner.Signal);
        context.Script.Enqueue(FakeOrchestrationContext.Winner.Signal);
        await context.RunAsync(id);

        Assert.DoesNotContain(MatterOrchestration.FireAlarmActivity, context.Calls);
        Assert.Equal(2, context.CancelledLosers); // the timers were cancelled
        // Signed: the next alarm is no longer a sign-off one.
        Assert.Equal(T("2026-03-03 17:30").UtcDateTime, context.Timers[^1]);
    }

    [Fact]
    public async Task A_lost_signal_costs_nothing_the_stale_timer_is_refused_and_the_stored_matter_gives_the_next_alarm()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var id = await host.SubmitAsync("o-3");
        await host.DoAsync(id, new DispatchMatter(Dispatcher, "water", []));
        var context = Context(host, id);
        context.NewRound();
        // The round reads its alarm, then the organizer signs without the signal reaching the instance.
        var next = await host.Get<MatterOrchestrationActivities>().NextAlarmAsync(id);
        Assert.Equal(AlarmKind.SignOffReminder, next.Alarm!.Kind);
        await host.DoAsync(id, new SignMatter(Actor.Organizer("water")));

        var fired = await host.Get<MatterOrchestrationActivities>().FireAlarmAsync(new FireAlarmInput(id, next.Alarm.Kind, next.Alarm.At));
        Assert.False(fired);
        Assert.Empty((await host.Get<Hotline.Runtime.Store.MatterStore>().LoadAsync(id))!.State.FiredAlarms);
        var after = await host.Get<MatterOrchestrationActivities>().NextAlarmAsync(id);
        Assert.Equal(AlarmKind.ReturnWindowEnd, after.Alarm!.Kind);
    }

    [Fact]
    public async Task With_nothing_due_the_orchestration_waits_for_a_change_only()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var id = await host.SubmitAsync("o-4", MatterType.Consultation);
        await host.DoAsync(id, new DispatchMatter(Dispatcher, "water", []));
        await host.DoAsync(id, new SignMatter(Actor.Organizer("water")));
        await host.DoAsync(id, new SubmitReply(Actor.Organizer("water"), "已答复", []));
        var context = Context(host, id);
        context.Script.Enqueue(FakeOrchestrationContext.Winner.Signal);

        await context.RunAsync(id);
        Assert.Empty(context.Timers);
        Assert.Equal(id, context.ContinuedWith);
    }

    [Fact]
    public async Task A_closed_or_missing_matter_ends_its_orchestration()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var id = await host.SubmitAsync("o-5", MatterType.Consultation);
        await host.DoAsync(id, new AnswerOnTheSpot(Dispatcher, "请携带身份证到社保网点办理", null));
        var closed = Context(host, id);
        closed.Script.Enqueue(FakeOrchestrationContext.Winner.Timer);
        Assert.Equal(1, await closed.RunAsync(id));
        Assert.Null(closed.ContinuedWith);
        Assert.Empty(closed.Timers);

        var missing = Context(host, "20260302NOTHERE0");
        missing.Script.Enqueue(FakeOrchestrationContext.Winner.Timer);
        await missing.RunAsync("20260302NOTHERE0");
        Assert.Null(missing.ContinuedWith);
        Assert.Equal([MatterOrchestration.NextAlarmActivity], missing.Calls);
    }
}
