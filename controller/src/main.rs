//! `profiler-controller`: the operator's binary.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use profiler_controller::crd_yaml::crds_yaml;
use profiler_controller::state_machine::{StateMachineParams, definition};

#[derive(Parser)]
#[command(version, about = "The profiler-operator controller")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the CustomResourceDefinitions (YAML), as the Helm chart ships them.
    Crds,
    /// Print the Amazon States Language definition the controller gives a runtime's state machine
    /// (with placeholder ARNs unless given).
    StateMachine {
        /// ECS cluster ARN.
        #[arg(long, default_value = "arn:aws:ecs:us-east-1:123456789012:cluster/profiler")]
        cluster: String,
        /// Task definition ARN.
        #[arg(long, default_value = "arn:aws:ecs:us-east-1:123456789012:task-definition/profiler-worker:1")]
        task_definition: String,
        /// Subnet ids.
        #[arg(long, value_delimiter = ',', default_value = "subnet-0123456789abcdef0")]
        subnets: Vec<String>,
        /// Security group ids.
        #[arg(long, value_delimiter = ',', default_value = "sg-0123456789abcdef0")]
        security_groups: Vec<String>,
        /// Give tasks a public IP.
        #[arg(long)]
        assign_public_ip: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let printed = match cli.command {
        Command::Crds => crds_yaml().map_err(|e| e.to_string()),
        Command::StateMachine { cluster, task_definition, subnets, security_groups, assign_public_ip } => {
            let params = StateMachineParams { cluster, task_definition, subnets, security_groups, assign_public_ip };
            serde_json::to_string_pretty(&definition(&params)).map_err(|e| e.to_string())
        }
    };
    match printed {
        Ok(text) => {
            println!("{}", text.trim_end());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
