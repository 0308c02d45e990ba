using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Alarms;
using Hotline.Runtime.Orchestration;
using Hotline.Testing;
using Microsoft.DurableTask.Client;
using static Hotline.FunctionApp.Tests.DurableHarness;

namespace Hotline.FunctionApp.Tests;

[Collection("Azurite")]
public sealed class DurableOrchestrationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_sign_off_deadline_passes_and_the_overdue_alarm_fires_through_a_durable_timer_and_FireAlarm()
    {
        await using var host = await StartAsync(azurite.ConnectionString, T("2026-03-02 09:00"));
        var id = await host.SubmitAsync("d-1");
        await host.DoAsync(id, new DispatchMatter(Dispatcher, "water", []));
        var signBy = (await host.MatterAsync(id)).Deadlines.SignBy!.Value;

        // The hours before the deadline pass at once; the matter's change tells the instance, as any commit does.
        host.Clock.Set(signBy.AddSeconds(-3));
        await host.Client.RaiseEventAsync(MatterOrchestration.InstanceId(id), MatterOrchestration.ChangedSignal);

        var matter = await host.UntilMatterAsync(id, m => m.FiredAlarms.Any(a => a.Kind == AlarmKind.SignOffOverdue));
        Assert.Contains(new Alarm(AlarmKind.SignOffOverdue, signBy), matter.FiredAlarms);
        Assert.True(matter.Supervised);
        // The instance goes on to the matter's next deadline.
        var status = await host.UntilStatusAsync(id, s => s.NextAlarm is not (AlarmKind.SignOffOverdue or AlarmKind.SignOffReminder));
        Assert.Equal(MatterStatus.AwaitingSignOff, status.Status);
        var instance = await host.Client.GetInstanceAsync(MatterOrchestration.InstanceId(id));
        Assert.Equal(OrchestrationRuntimeStatus.Running, instance!.RuntimeStatus);
    }

    [Fact]
    public async Task A_change_signals_the_instance_and_the_new_deadline_replaces_the_old_one()
    {
        await using var host = await StartAsync(azurite.ConnectionString, T("2026-03-02 09:00"));
        var id = await host.SubmitAsync("d-2");
        await host.UntilStatusAsync(id, s => s.NextAlarm == AlarmKind.DispatchDue);

        // Dispatching gives the matter new deadlines: the instance is signalled, drops the dispatch timer and waits for them.
        await host.DoAsync(id, new DispatchMatter(Dispatcher, "water", []));

        var reminderAt = (await host.MatterAsync(id)).Deadlines.SignOffReminderAt!.Value;
        var status = await host.UntilStatusAsync(id, s => s.Status == MatterStatus.AwaitingSignOff);
        Assert.Equal((AlarmKind.SignOffReminder, reminderAt), (status.NextAlarm!.Value, status.NextAlarmAt!.Value));
        Assert.Empty((await host.MatterAsync(id)).FiredAlarms);
        Assert.Equal(0, host.FireAlarmAttempts);
    }

    [Fact]
    public async Task A_closed_matter_completes_its_instance()
    {
        await using var host = await StartAsync(azurite.ConnectionString, T("2026-03-02 09:00"));
        var id = await host.SubmitAsync("d-3", MatterType.Consultation);
        await host.UntilStatusAsync(id, s => s.NextAlarm == AlarmKind.DispatchDue);

        await host.DoAsync(id, new AnswerOnTheSpot(Dispatcher, "请携带身份证到社保网点办理", null));

        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var done = await host.Client.WaitForInstanceCompletionAsync(MatterOrchestration.InstanceId(id), patience.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
    }

    [Fact]
    public async Task Two_concurrent_first_commits_leave_exactly_one_running_instance()
    {
        await using var host = await StartAsync(azurite.ConnectionString, T("2026-03-02 09:00"));
        var id = await host.SubmitAsync("d-4");
        var instanceId = MatterOrchestration.InstanceId(id);
        // Back to "no instance yet": the matter is stored, its orchestration was never started.
        await host.Client.TerminateInstanceAsync(instanceId);
        using (var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            await host.Client.WaitForInstanceCompletionAsync(instanceId, patience.Token);
        }
        await host.Client.PurgeInstanceAsync(instanceId);
        Assert.Null(await host.Client.GetInstanceAsync(instanceId));

        var scheduler = host.Get<IAlarmScheduler>();
        var alarm = MatterAlarms.Next(await host.MatterAsync(id))!;
        using (host.Get<DurableClientAccessor>().Bind(host.Client))
        {
            // Both commits of the new matter schedule at once: neither may fail, and one instance must run.
            await Task.WhenAll(scheduler.ScheduleAsync(id, alarm, default), scheduler.ScheduleAsync(id, alarm, default));
        }

        await host.UntilStatusAsync(id, s => s.NextAlarm == AlarmKind.DispatchDue);
        var instances = new List<OrchestrationMetadata>();
        await foreach (var instance in host.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = instanceId }))
        {
            instances.Add(instance);
        }
        var only = Assert.Single(instances);
        Assert.Equal(OrchestrationRuntimeStatus.Running, only.RuntimeStatus);
    }

    [Fact]
    public async Task A_failing_activity_is_retried_and_the_instance_survives()
    {
        await using var host = await StartAsync(azurite.ConnectionString, T("2026-03-02 09:00"));
        var id = await host.SubmitAsync("d-5");
        await host.DoAsync(id, new DispatchMatter(Dispatcher, "water", []));
        var reminderAt = (await host.MatterAsync(id)).Deadlines.SignOffReminderAt!.Value;
        host.FailNextFireAlarms(2);

        host.Clock.Set(reminderAt.AddSeconds(-1));
        await host.Client.RaiseEventAsync(MatterOrchestration.InstanceId(id), MatterOrchestration.ChangedSignal);

        var matter = await host.UntilMatterAsync(id, m => m.FiredAlarms.Any(a => a.Kind == AlarmKind.SignOffReminder));
        Assert.Contains(new Alarm(AlarmKind.SignOffReminder, reminderAt), matter.FiredAlarms);
        Assert.Equal(3, host.FireAlarmAttempts); // two failures, then the attempt that fired it
        await host.UntilStatusAsync(id, s => s.NextAlarm == AlarmKind.SignOffOverdue);
        var instance = await host.Client.GetInstanceAsync(MatterOrchestration.InstanceId(id));
        Assert.Equal(OrchestrationRuntimeStatus.Running, instance!.RuntimeStatus);
    }
}
