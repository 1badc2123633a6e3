using JasperFx;
using Modular.BuildingBlocks.Hosting;
using Modular.BuildingBlocks.Persistence;
using Modular.Host;

var builder = WebApplication.CreateBuilder(args);
if (TokenCommand.Matches(args))
{
    return TokenCommand.Run(builder, args);
}

builder.AddModular(ModuleCatalog.All, ModuleCatalog.CodeMode, typeof(Program).Assembly, DatabaseLogins.LoginFor(args));

var app = builder.Build();
app.UseModular();

return await app.RunJasperFxCommands(args);

/// <summary>The entry point, public so that tests can host it.</summary>
public partial class Program;
