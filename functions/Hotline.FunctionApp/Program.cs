using Microsoft.Extensions.Hosting;

namespace Hotline.FunctionApp;

/// <summary>The worker's entry point, in its own namespace so tests can reference both hosts.</summary>
internal static class Program
{
    public static void Main(string[] args) => FunctionAppHost.CreateBuilder(args).Build().Run();
}
