using System.Globalization;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Profiles;
using Hotline.Runtime;
using Hotline.Runtime.Alarms;
using Hotline.Runtime.Orchestration;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Store;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotline.FunctionApp.Tests;

[CollectionDefinition("Azurite")]
public sealed class AzuriteGroup : ICollectionFixture<Hotline.Testing.AzuriteFixture>;

/// <summary>
/// The Azure host's orchestration on the real Durable Task engine (in process, in-memory backend) over the real
/// runtime on Azurite: the same adapter (<see cref="DurableOrchestrationContext"/>) and scheduler
/// (<see cref="DurableAlarmScheduler"/>) as the Function App. The runtime's clock runs at the real pace from an
/// instant the test chooses, so a deadline can be a few seconds away while the engine's timers run on real time.
/// </summary>
internal sealed class DurableHarness : IAsyncDisposable
{
    /// <summary>Retries as in production, only quicker, so a test with a failing attempt stays short.</summary>
    public static readonly ActivityRetry QuickRetry = new(MaxAttempts: 4, FirstInterval: TimeSpan.FromMilliseconds(200), BackoffCoefficient: 2, MaxInterval: TimeSpan.FromSeconds(1));

    public static readonly OrganizerDirectory Directory = new([
        new OrganizerUnit("water", new Text("水务局", "Water Bureau"), new Contact("王办", "13900000001"), new Contact("李局", "13900000002"), ["east"], ["water-pressure"]),
    ]);

    public static readonly Actor CallCentre = Actor.ChannelSystem("call-centre");
    public static readonly Actor Dispatcher = Actor.Staff("dispatcher-1");

    private readonly ServiceProvider _services;
    private DurableTaskTestHost? _host;
    private int _fireAlarmFailures;
    private int _fireAlarmAttempts;

    private DurableHarness(string connectionString, AdjustableClock clock)
    {
        Clock = clock;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        // As in the Function App: new alarms signal (or start) the matter's instance.
        services.AddSingleton<DurableClientAccessor>();
        services.AddSingleton<IAlarmScheduler, DurableAlarmScheduler>();
        services.AddHotlineRuntime(new HotlineSettings(
            StorageAccount.FromConnectionString(connectionString),
            ProfileCatalog.Get("fujian"),
            Directory,
            new RuntimeOptions { RunEffectsInline = true, SweepDelay = TimeSpan.FromSeconds(30), EffectRetryBase = TimeSpan.FromSeconds(1) },
            "d" + Guid.NewGuid().ToString("N")[..10]));
        _services = services.BuildServiceProvider();
    }

    public AdjustableClock Clock { get; }

    public DurableTaskClient Client => _host?.Client ?? throw new InvalidOperationException("The engine has not started.");

    public int FireAlarmAttempts => Volatile.Read(ref _fireAlarmAttempts);

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>The next <paramref name="count"/> FireAlarm attempts fail as a storage hiccup would.</summary>
    public void FailNextFireAlarms(int count) => Volatile.Write(ref _fireAlarmFailures, count);

    public static async Task<DurableHarness> StartAsync(string connectionString, DateTimeOffset now)
    {
        var clock = new AdjustableClock();
        clock.Set(now);
        var harness = new DurableHarness(connectionString, clock);
        await harness.Get<HotlineTables>().CreateIfNotExistsAsync();
        var activities = harness.Get<MatterOrchestrationActivities>();
        var accessor = harness.Get<DurableClientAccessor>();
        harness._host = await DurableTaskTestHost.StartAsync(tasks => Register(tasks, activities, accessor, () => harness.Client, QuickRetry, () =>
        {
            Interlocked.Increment(ref harness._fireAlarmAttempts);
            if (Interlocked.Decrement(ref harness._fireAlarmFailures) >= 0)
            {
                throw new IOException("Injected storage failure.");
            }
        }));
        return harness;
    }

    /// <summary>The Function App's orchestration and activities, registered on the test engine as the worker binds them.</summary>
    public static void Register(DurableTaskRegistry tasks, MatterOrchestrationActivities activities, DurableClientAccessor accessor,
        Func<DurableTaskClient> client, ActivityRetry? retry = null, Action? beforeFireAlarm = null)
    {
        tasks.AddOrchestratorFunc<string>(MatterOrchestration.Name,
            (context, matterId) => MatterOrchestration.RunAsync(new DurableOrchestrationContext(context), matterId, retry));
        tasks.AddActivityFunc<string, NextAlarm>(MatterOrchestration.NextAlarmActivity, (_, matterId) => activities.NextAlarmAsync(matterId));
        tasks.AddActivityFunc<FireAlarmInput, bool>(MatterOrchestration.FireAlarmActivity, async (_, input) =>
        {
            beforeFireAlarm?.Invoke();
            // As the Function App's FireAlarm function does with its [DurableClient] binding.
            using (accessor.Bind(client()))
            {
                return await activities.FireAlarmAsync(input);
            }
        });
    }

    /// <summary>Commits as an HTTP function would: with the Durable client bound, so new alarms reach the instance.</summary>
    public async Task<string> SubmitAsync(string channelRef, MatterType type = MatterType.Help)
    {
        using (Get<DurableClientAccessor>().Bind(Client))
        {
            var intake = new Intake(Channel.Phone, channelRef, type, Urgency.Normal, "water-pressure", "水压不足", "三楼以上没有自来水",
                new Location("幸福路12号", "east", 36.7, 119.1), new Citizen("张三", "13800000000", false), Clock.GetUtcNow());
            var outcome = await Get<IntakeService>().SubmitAsync(CallCentre, intake);
            Assert.True(outcome.Outcome.Accepted, outcome.Outcome.Refusal?.ToString());
            return outcome.Outcome.State!.Id;
        }
    }

    public async Task DoAsync(string matterId, MatterCommand command)
    {
        using (Get<DurableClientAccessor>().Bind(Client))
        {
            var outcome = await Get<MatterService>().ExecuteAsync(matterId, command);
            Assert.True(outcome.Accepted, $"{command.GetType().Name}: {outcome.Refusal}");
        }
    }

    public async Task<Matter> MatterAsync(string matterId) => (await Get<MatterStore>().LoadAsync(matterId))!.State;

    /// <summary>Waits until the stored matter satisfies <paramref name="condition"/>; fails after a minute.</summary>
    public async Task<Matter> UntilMatterAsync(string matterId, Func<Matter, bool> condition) =>
        await Until(() => MatterAsync(matterId), condition, "the stored matter");

    /// <summary>Waits until the instance's custom status satisfies <paramref name="condition"/>; fails after a minute.</summary>
    public async Task<OrchestrationStatus> UntilStatusAsync(string matterId, Func<OrchestrationStatus, bool> condition) =>
        await Until(async () =>
        {
            var instance = await Client.GetInstanceAsync(MatterOrchestration.InstanceId(matterId), getInputsAndOutputs: true);
            return instance?.ReadCustomStatusAs<OrchestrationStatus>();
        }, s => s is not null && condition(s), "the instance's status") ?? throw new InvalidOperationException();

    private static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> condition, string what)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            var value = await read();
            if (condition(value)) return value;
            if (patience.IsCancellationRequested) Assert.Fail($"Gave up waiting for {what}; last seen: {value}");
            // Polling the condition: nothing in the engine or the store announces the change to a test.
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    public static DateTimeOffset T(string cst) =>
        DateTimeOffset.ParseExact(cst + " +08:00", "yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        await _services.DisposeAsync();
    }
}
