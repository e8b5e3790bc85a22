// The bundled page's entry (Vite and webpack): import the package by its name, as an app would.
import * as sdk from "refold-linked-accounts";
import { run } from "./page.js";

run(sdk);
