using JasperFx.CommandLine;
using JasperFx.CommandLine.Descriptions;
using Modular.BuildingBlocks.Logging;
using Spectre.Console;

// JasperFx registers the application's commands, then those of every assembly carrying this attribute in dependency
// order, its own among them: marked, this assembly (which depends on JasperFx) comes after it, so its describe wins.
[assembly: JasperFx.JasperFxAssembly]

namespace Modular.Host;

/// <summary>
/// <c>dotnet Modular.Host.dll describe</c>: JasperFx's description of the application, with every secret masked.
/// JasperFx's own <c>describe</c> prints the whole configuration (its <c>IConfiguration Preview</c> part), every
/// environment variable among it, connection-string passwords included; a command of the application's with the same
/// name replaces it (see the assembly attribute below). The other parts are JasperFx's,
/// Wolverine's and Marten's, unchanged. See docs/adr/0022.
/// </summary>
[Description("Writes out a description of the application, secrets masked, to the console or a file", Name = "describe")]
public sealed class DescribeCommand : JasperFxAsyncCommand<DescribeInput>
{
    public override async Task<bool> Execute(DescribeInput input)
    {
        using var host = input.BuildHost();
        ISystemPart[] parts =
        [
            new AboutThisAppPart(host.Services.GetRequiredService<IHostEnvironment>()),
            new RedactedConfiguration(host.Services.GetRequiredService<IConfiguration>()),
            new ReferencedAssemblies(),
            // JasperFx also resolves parts implementing its internal IRequiresServices; no package this host uses has one.
            .. host.Services.GetServices<ISystemPart>(),
        ];
        if (input.ListFlag)
        {
            Console.WriteLine("The registered system parts are");
            foreach (var part in parts)
            {
                Console.WriteLine("* " + part.Title);
            }

            return true;
        }

        if (!string.IsNullOrEmpty(input.TitleFlag))
        {
            parts = [.. parts.Where(p => p.Title == input.TitleFlag)];
        }
        else if (input.InteractiveFlag)
        {
            var titles = AnsiConsole.Prompt(new MultiSelectionPrompt<string>()
                .Title("What part(s) of your application do you wish to view?").PageSize(10).AddChoices(parts.Select(p => p.Title)));
            parts = [.. parts.Where(p => titles.Contains(p.Title))];
        }

        if (!string.IsNullOrEmpty(input.FileFlag))
        {
            AnsiConsole.Record();
        }

        await JasperFx.CommandLine.Descriptions.DescribeCommand.WriteToConsole(parts);

        if (!string.IsNullOrEmpty(input.FileFlag))
        {
            var text = Path.GetExtension(input.FileFlag).Contains("html", StringComparison.OrdinalIgnoreCase) ? AnsiConsole.ExportHtml() : AnsiConsole.ExportText();
            // A part other than the configuration's may still quote a connection string: the file is masked as a whole too.
            await File.WriteAllTextAsync(input.FileFlag, Redaction.Redact(text));
            Console.WriteLine("Wrote system description to file " + input.FileFlag);
        }

        return true;
    }

    /// <summary>The configuration as JasperFx's preview shows it, a key per line with the source that set it, every value masked where secret.</summary>
    private sealed class RedactedConfiguration(IConfiguration configuration) : SystemPartBase("IConfiguration Preview", new Uri("system://configuration"))
    {
        public override Task WriteToConsole()
        {
            var root = (IConfigurationRoot)configuration;
            var tree = new Tree(string.Empty);
            Add(tree, root.GetChildren());
            AnsiConsole.Write(tree);
            return Task.CompletedTask;

            void Add(IHasTreeNodes node, IEnumerable<IConfigurationSection> sections)
            {
                foreach (var section in sections)
                {
                    var (value, provider) = root.Providers.Reverse()
                        .Select(p => (Found: p.TryGet(section.Path, out var v), Value: v, Provider: p))
                        .FirstOrDefault(p => p.Found) is { Found: true } found ? (found.Value, found.Provider) : (null, null);
                    var child = value is null
                        ? node.AddNode($"[blue]{section.Key.EscapeMarkup()}[/]")
                        : node.AddNode($"[yellow]{section.Key.EscapeMarkup()}[/] {Redaction.Redact(section.Key, value).EscapeMarkup()} ([grey]{provider!.ToString()!.EscapeMarkup()}[/])");
                    Add(child, section.GetChildren());
                }
            }
        }
    }
}
