using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Profiles;
using Hotline.Orchestrations.Time;
using Hotline.Runtime.Alarms;
using Hotline.Runtime.Effects;
using Hotline.Runtime.Knowledge;
using Hotline.Runtime.Links;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Projections;
using Hotline.Runtime.Sms;
using Hotline.Runtime.Store;
using Hotline.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Hotline.Runtime;

/// <summary>Everything a host must decide to run the system.</summary>
public sealed record HotlineSettings(
    StorageConnection Storage,
    RegulationProfile Profile,
    OrganizerDirectory Directory,
    RuntimeOptions Options,
    string TablePrefix = "",
    HolidayCalendar? Holidays = null,
    RoutingTable? Routing = null,
    ReturnVisits.ReturnVisitOptions? ReturnVisits = null);

public static class RuntimeServices
{
    /// <summary>
    /// Registers the runtime. A host may register its own <see cref="TimeProvider"/> or <see cref="ISmsSender"/>
    /// first; otherwise the system clock and the local outbox are used.
    /// </summary>
    public static IServiceCollection AddHotlineRuntime(this IServiceCollection services, HotlineSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(settings.Options);
        services.AddSingleton(settings.Profile);
        services.AddSingleton(sp => new DirectoryStore(sp.GetRequiredService<HotlineTables>().Settings, settings.Directory, settings.Routing ?? RoutingTable.Empty));
        services.AddSingleton(sp => new DuplicateFinder(sp.GetRequiredService<MatterIndex>(), settings.Options));
        services.AddSingleton(settings.Holidays ?? HolidayCalendar.Embedded);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => MatterLifecycle.For(settings.Profile, sp.GetRequiredService<HolidayCalendar>()));
        services.AddSingleton(sp => sp.GetRequiredService<MatterLifecycle>().Calendar);

        services.AddSingleton(new HotlineTables(settings.Storage, settings.TablePrefix));
        services.AddSingleton(sp => new MatterStore(sp.GetRequiredService<HotlineTables>().Matters));
        services.AddSingleton(sp => new AlarmIndex(sp.GetRequiredService<HotlineTables>().Alarms));
        services.AddSingleton(sp => new MatterIndex(sp.GetRequiredService<HotlineTables>().MatterIndex));
        services.AddSingleton(sp => new Reports.FactsProjection(sp.GetRequiredService<HotlineTables>().Facts));
        services.AddSingleton<Reports.AssessmentReports>();
        services.AddSingleton<Reports.ProjectionRebuilder>();
        services.AddSingleton(sp => new PoisonList(sp.GetRequiredService<HotlineTables>().Poison));
        services.AddSingleton(sp => new SmsOutbox(sp.GetRequiredService<HotlineTables>().SmsOutbox, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ISmsSender>(sp => sp.GetRequiredService<SmsOutbox>());
        services.AddSingleton(sp => new OrganizerLinks(sp.GetRequiredService<HotlineTables>().Links, sp.GetRequiredService<TimeProvider>(), settings.Options));

        services.TryAddSingleton<IAlarmScheduler>(sp => new IndexAlarmScheduler(sp.GetRequiredService<AlarmIndex>()));
        services.AddSingleton<IEffectHandler, AlarmEffectHandler>();
        services.AddSingleton<IEffectHandler, ClosedEffectHandler>();
        services.AddSingleton<Orchestration.MatterOrchestrationActivities>();
        services.AddSingleton<IEffectHandler, ProjectionEffectHandler>();
        services.AddSingleton<IEffectHandler>(sp => new SmsEffectHandler(
            sp.GetRequiredService<DirectoryStore>(), sp.GetRequiredService<OrganizerLinks>(), sp.GetRequiredService<ISmsSender>()));
        services.AddSingleton<IEffectHandler>(sp => new AbsorbEffectHandler(sp));
        services.AddSingleton<EffectRunner>();
        services.AddSingleton<EffectBacklog>();
        services.AddSingleton<MatterService>();
        services.AddSingleton(sp => new IntakeService(sp.GetRequiredService<HotlineTables>().Intake, sp.GetRequiredService<MatterService>(),
            sp.GetRequiredService<DirectoryStore>(), sp.GetRequiredService<DuplicateFinder>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AlarmPump>();
        services.AddSingleton(sp => new ReturnVisits.ReturnVisitDraw(sp.GetRequiredService<MatterIndex>(), settings.ReturnVisits ?? new ReturnVisits.ReturnVisitOptions()));
        services.AddSingleton(new Evidence.EvidenceStore(settings.Storage, settings.TablePrefix.ToLowerInvariant() + "evidence", Evidence.EvidenceLimits.Default));
        services.AddSingleton(sp => new DisclosureAudit(sp.GetRequiredService<HotlineTables>().Audit, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new KnowledgeBase(sp.GetRequiredService<HotlineTables>().Knowledge, () => sp.GetRequiredService<DirectoryStore>().Directory, sp.GetRequiredService<TimeProvider>(),
            KnowledgeSeed.Load(sp.GetService<IConfiguration>(), sp.GetService<IHostEnvironment>())));
        services.AddSingleton<IHostedService, KnowledgeSeeder>();
        return services;
    }
}
