using Hotline.Api;
using Microsoft.Extensions.Hosting;

namespace Hotline.FunctionApp;

/// <summary>
/// What the local host does before serving, done when the worker starts: tables, the evidence container, the
/// organizer directory and routing from storage, the calendar gauge. Blob CORS is infra's (main.bicep): the app's
/// data roles cannot set the account's service properties.
/// </summary>
internal sealed class StartupWork(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => HotlineStartup.PrepareAsync(services, [], cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
