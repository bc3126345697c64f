<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>BenchPage</name>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="700"/>
        <location filename="../../copilot/ui/wizard/pages.py" line="707"/>
        <source>Trying the model</source>
        <translation>Probando el modelo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="701"/>
        <source>A short run shows how fast it answers on this computer.</source>
        <translation>Una breve prueba muestra con qué rapidez responde en este equipo.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="713"/>
        <source>&amp;Try again</source>
        <translation>&amp;Volver a probar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="733"/>
        <source>Loading {0} and writing a few words (loading a large model takes a while)…</source>
        <translation>Cargando {0} y escribiendo unas palabras (cargar un modelo grande lleva un rato)…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="756"/>
        <source>Done.</source>
        <translation>Hecho.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="759"/>
        <source>Runs well: answers appear faster than you read them.</source>
        <translation>Funciona bien: las respuestas aparecen más rápido de lo que las lees.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="761"/>
        <source>Runs slowly: expect long answers to take a minute or two.</source>
        <translation>Funciona despacio: las respuestas largas pueden tardar un minuto o dos.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="763"/>
        <source>Runs very slowly on this computer: it works, but be patient.</source>
        <translation>Funciona muy despacio en este equipo: sirve, pero ten paciencia.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="766"/>
        <source>Writing: {0:.1f} words per second ({1:.1f} tokens/s). Reading: {2:.0f} tokens/s. Loaded in {3:.1f} s. Context: {4} tokens{5}.</source>
        <translation>Escritura: {0:.1f} palabras por segundo ({1:.1f} tokens/s). Lectura: {2:.0f} tokens/s. Carga en {3:.1f} s. Contexto: {4} tokens{5}.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="769"/>
        <source>, {0} layers on the GPU</source>
        <translation>, {0} capas en la GPU</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="776"/>
        <source>The model could not be tried.</source>
        <translation>No se ha podido probar el modelo.</translation>
    </message>
</context>
<context>
    <name>CalendarFile</name>
    <message>
        <location filename="../../copilot/ui/calendar_file.py" line="21"/>
        <source>Could not save {0}: {1}</source>
        <translation>No se pudo guardar {0}: {1}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/calendar_file.py" line="23"/>
        <source>Saved {0}.</source>
        <translation>Guardado {0}.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/calendar_file.py" line="27"/>
        <source>Calendar (*.ics)</source>
        <translation>Calendario (*.ics)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/calendar_file.py" line="40"/>
        <source>No calendar app opened the file: use Save .ics… and import it.</source>
        <translation>Ninguna app de calendario abrió el archivo: usa Guardar .ics… e impórtalo.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/calendar_file.py" line="51"/>
        <source>Save the calendar file</source>
        <translation>Guardar el archivo de calendario</translation>
    </message>
</context>
<context>
    <name>ContextMeter</name>
    <message>
        <location filename="../../copilot/ui/widgets/context_meter.py" line="27"/>
        <location filename="../../copilot/ui/widgets/context_meter.py" line="28"/>
        <source>Context usage</source>
        <translation>Uso del contexto</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/widgets/context_meter.py" line="43"/>
        <source>The text is longer than the model can read at once. Long meeting input will be summarized in parts; a text this long is too long to rewrite, so shorten it or split it.</source>
        <translation>El texto es más largo de lo que el modelo puede leer de una vez. Las notas de reunión largas se resumirán por partes; un texto tan largo no se puede reescribir, así que acórtalo o divídelo.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/widgets/context_meter.py" line="50"/>
        <source>The text fits, but it almost fills the model&apos;s memory for this task. Adding more may make it too long.</source>
        <translation>El texto cabe, pero ocupa casi toda la memoria del modelo para esta tarea. Si añades más, puede quedar demasiado largo.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/widgets/context_meter.py" line="55"/>
        <source>The text fits comfortably in the model&apos;s memory for this task.</source>
        <translation>El texto cabe holgadamente en la memoria del modelo para esta tarea.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/widgets/context_meter.py" line="60"/>
        <source>{reserve} tokens are kept free for the answer.</source>
        <translation>Se reservan {reserve} tokens para la respuesta.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/widgets/context_meter.py" line="63"/>
        <source>{used} / {n_ctx} tokens</source>
        <translation>{used} / {n_ctx} tokens</translation>
    </message>
</context>
<context>
    <name>DiagnosticsDialog</name>
    <message>
        <location filename="../../copilot/ui/diagnostics_dialog.py" line="26"/>
        <location filename="../../copilot/ui/diagnostics_dialog.py" line="81"/>
        <location filename="../../copilot/ui/diagnostics_dialog.py" line="104"/>
        <source>Save diagnostics</source>
        <translation>Guardar diagnóstico</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/diagnostics_dialog.py" line="29"/>
        <source>These files go into the diagnostics bundle ({0} files, {1}). Select one to read it. Nothing you typed or the model wrote is included; secrets, your user name and paths in your home folder are redacted.</source>
        <translation>Estos archivos van en el paquete de diagnóstico ({0} archivos, {1}). Selecciona uno para leerlo. No incluye nada de lo que escribiste ni de lo que escribió el modelo; los secretos, tu nombre de usuario y las rutas de tu carpeta personal se ocultan.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/diagnostics_dialog.py" line="34"/>
        <source>File</source>
        <translation>Archivo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/diagnostics_dialog.py" line="34"/>
        <source>Size</source>
        <translation>Tamaño</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/diagnostics_dialog.py" line="34"/>
        <source>What</source>
        <translation>Qué es</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/diagnostics_dialog.py" line="36"/>
        <source>Files in the bundle</source>
        <translation>Archivos del paquete</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/diagnostics_dialog.py" line="48"/>
        <source>Contents of the selected file</source>
        <translation>Contenido del archivo seleccionado</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/diagnostics_dialog.py" line="54"/>
        <source>&amp;Save…</source>
        <translation>&amp;Guardar…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/diagnostics_dialog.py" line="75"/>
        <source>[the last {0} characters of {1}]</source>
        <translation>[los últimos {0} caracteres de {1}]</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/diagnostics_dialog.py" line="82"/>
        <source>Zip files (*.zip)</source>
        <translation>Archivos zip (*.zip)</translation>
    </message>
</context>
<context>
    <name>DiffView</name>
    <message>
        <location filename="../../copilot/ui/widgets/diff_view.py" line="36"/>
        <source>Changes</source>
        <translation>Cambios</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/widgets/diff_view.py" line="38"/>
        <source>Removed words are struck through, added words are underlined.</source>
        <translation>Las palabras eliminadas aparecen tachadas y las añadidas, subrayadas.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/widgets/diff_view.py" line="53"/>
        <source>{ins} words added, {dele} removed</source>
        <translation>{ins} palabras añadidas, {dele} eliminadas</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="786"/>
        <source>Ready</source>
        <translation>Todo listo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="791"/>
        <source>Ctrl+1 drafts an email reply, Ctrl+2 summarizes a meeting, Ctrl+3 polishes writing. Models can be changed later with Models ▸ Manage models (Ctrl+Shift+M).</source>
        <translation>Ctrl+1 redacta una respuesta de correo, Ctrl+2 resume una reunión y Ctrl+3 pule un texto. Puedes cambiar de modelo más adelante en Modelos ▸ Gestionar modelos (Ctrl+Mayús+M).</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="795"/>
        <source>Optional: to turn meeting recordings into minutes, get a speech model too (whisper-small, 484 MB). You can also do it later with Models ▸ Speech model.</source>
        <translation>Opcional: para convertir grabaciones de reuniones en actas, descarga también un modelo de voz (whisper-small, 484 MB). También puedes hacerlo más adelante en Modelos ▸ Modelo de voz.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="797"/>
        <source>&amp;Speech model for recordings…</source>
        <translation>Modelo de &amp;voz para grabaciones…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="818"/>
        <source>Meeting recordings will be transcribed with the model in {0}.</source>
        <translation>Las grabaciones de reuniones se transcribirán con el modelo de {0}.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="828"/>
        <source>Private Copilot will use {0} on your team&apos;s server {1}. Press Enter to start writing.</source>
        <translation>Private Copilot usará {0} en el servidor de tu equipo {1}. Pulsa Intro para empezar a escribir.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="830"/>
        <source>To have answers when the server is down or busy, add the local model later with Models ▸ Manage models.</source>
        <translation>Para tener respuestas cuando el servidor no funcione o esté ocupado, añade más tarde el modelo local con Modelos ▸ Gestionar modelos.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="833"/>
        <source>Private Copilot will use {0}. Press Enter to start writing.</source>
        <translation>Private Copilot usará {0}. Pulsa Intro para empezar a escribir.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="836"/>
        <source>Answers still come from your team&apos;s server; this model answers when it is down or busy. Settings ▸ Team server changes that.</source>
        <translation>Las respuestas siguen llegando del servidor de tu equipo; este modelo responde cuando el servidor no funciona o está ocupado. Ajustes ▸ Servidor del equipo lo cambia.</translation>
    </message>
</context>
<context>
    <name>EmailPane</name>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="42"/>
        <source>Paste the email or the whole thread here, or open or drop an .eml file.</source>
        <translation>Pega aquí el correo o todo el hilo, o abre o arrastra un archivo .eml.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="44"/>
        <source>Email to reply to</source>
        <translation>Correo al que responder</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="46"/>
        <source>Open .eml…</source>
        <translation>Abrir .eml…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="47"/>
        <source>Open an email file</source>
        <translation>Abrir un archivo de correo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="53"/>
        <source>Accept</source>
        <translation>Aceptar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="53"/>
        <source>Decline</source>
        <translation>Rechazar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="54"/>
        <source>Ask for time</source>
        <translation>Pedir más tiempo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="54"/>
        <source>Thank</source>
        <translation>Agradecer</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="55"/>
        <source>Follow up</source>
        <translation>Hacer seguimiento</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="59"/>
        <source>Intent: {0}</source>
        <translation>Intención: {0}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="66"/>
        <source>What do you want to say? A few words or points, in any language.</source>
        <translation>¿Qué quieres decir? Unas palabras o puntos, en cualquier idioma.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="67"/>
        <source>Your points</source>
        <translation>Tus puntos</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="71"/>
        <source>Tone</source>
        <translation>Tono</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="71"/>
        <source>Neutral</source>
        <translation>Neutro</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="71"/>
        <source>Friendly</source>
        <translation>Cordial</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="72"/>
        <source>Formal</source>
        <translation>Formal</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="72"/>
        <source>Direct</source>
        <translation>Directo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="73"/>
        <source>Length</source>
        <translation>Longitud</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="73"/>
        <source>Short</source>
        <translation>Corta</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="73"/>
        <source>Medium</source>
        <translation>Media</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="74"/>
        <source>Long</source>
        <translation>Larga</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="75"/>
        <source>Same as the email</source>
        <translation>Igual que el correo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="76"/>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="78"/>
        <source>Your name</source>
        <translation>Tu nombre</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="79"/>
        <source>Sign-off name</source>
        <translation>Nombre de la firma</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="83"/>
        <source>&amp;Tone:</source>
        <translation>&amp;Tono:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="84"/>
        <source>&amp;Length:</source>
        <translation>&amp;Longitud:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="85"/>
        <source>L&amp;anguage:</source>
        <translation>&amp;Idioma:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="86"/>
        <source>&amp;Sign as:</source>
        <translation>&amp;Firmar como:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="88"/>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="89"/>
        <source>Copy the reply</source>
        <translation>Copiar la respuesta</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="91"/>
        <source>Export…</source>
        <translation>Exportar…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="92"/>
        <location filename="../../copilot/ui/panes/email.py" line="295"/>
        <source>Export the reply</source>
        <translation>Exportar la respuesta</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="94"/>
        <source>Open in mail app</source>
        <translation>Abrir en la app de correo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="95"/>
        <source>Open the reply in your mail app</source>
        <translation>Abrir la respuesta en tu app de correo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="99"/>
        <location filename="../../copilot/ui/panes/email.py" line="274"/>
        <source>Add &amp;invitation…</source>
        <translation>Añadir invita&amp;ción…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="100"/>
        <source>Add a meeting invitation to the reply</source>
        <translation>Añadir una invitación a una reunión a la respuesta</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="101"/>
        <location filename="../../copilot/ui/panes/email.py" line="275"/>
        <source>The meeting the reply accepts or the email proposes, as a calendar invitation: preview it, save it as .ics, or send it with the reply</source>
        <translation>La reunión que la respuesta acepta o que el correo propone, como invitación de calendario: revísala, guárdala como .ics o envíala con la respuesta</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="105"/>
        <source>Email</source>
        <translation>Correo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="155"/>
        <source>There is no email to reply to: paste it, or open an .eml file.</source>
        <translation>No hay ningún correo al que responder: pégalo o abre un archivo .eml.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="248"/>
        <source>This reply agrees on a meeting ({0}): Add invitation… prepares the calendar invitation.</source>
        <translation>Esta respuesta acepta una reunión ({0}): Añadir invitación… prepara la invitación de calendario.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="280"/>
        <source>E&amp;dit invitation…</source>
        <translation>Editar i&amp;nvitación…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="281"/>
        <source>The reply carries an invitation for {0}; the exported .eml lets the other side Accept or Decline it</source>
        <translation>La respuesta lleva una invitación para el {0}; con el .eml exportado, la otra parte puede Aceptarla o Rechazarla</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="284"/>
        <source>The invitation ({0}) goes with the reply: use Export… to save the .eml (a mail app opened with a link gets the text only).</source>
        <translation>La invitación ({0}) va con la respuesta: usa Exportar… para guardar el .eml (una app de correo abierta con un enlace recibe solo el texto).</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="293"/>
        <source>There is no reply to export yet.</source>
        <translation>Todavía no hay ninguna respuesta que exportar.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="296"/>
        <source>Email (*.eml);;Text (*.txt)</source>
        <translation>Correo (*.eml);;Texto (*.txt)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="306"/>
        <source>Could not save {0}: {1}</source>
        <translation>No se ha podido guardar {0}: {1}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="319"/>
        <source>There is no reply to send yet.</source>
        <translation>Todavía no hay ninguna respuesta que enviar.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/email.py" line="323"/>
        <source>No mail app answered; the reply was copied instead.</source>
        <translation>No se ha abierto ninguna app de correo; la respuesta se ha copiado al portapapeles.</translation>
    </message>
</context>
<context>
    <name>FetchPage</name>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="497"/>
        <source>Download progress</source>
        <translation>Progreso de la descarga</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="501"/>
        <location filename="../../copilot/ui/wizard/pages.py" line="570"/>
        <source>&amp;Pause</source>
        <translation>&amp;Pausar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="502"/>
        <source>Cancel &amp;download</source>
        <translation>Cancelar &amp;descarga</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="503"/>
        <source>&amp;Retry</source>
        <translation>Re&amp;intentar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="514"/>
        <source>Hugging Face token</source>
        <translation>Token de Hugging Face</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="516"/>
        <source>Remember it in the system keyring</source>
        <translation>Recordarlo en el llavero del sistema</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="519"/>
        <source>Hugging Face &amp;token:</source>
        <translation>&amp;Token de Hugging Face:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="538"/>
        <source>Downloading {0}</source>
        <translation>Descargando {0}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="539"/>
        <source>You can pause, close the app, and resume later: nothing is lost.</source>
        <translation>Puedes pausar, cerrar la app y reanudar más tarde: no se pierde nada.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="541"/>
        <source>Checking the file</source>
        <translation>Comprobando el archivo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="569"/>
        <source>Connecting to Hugging Face…</source>
        <translation>Conectando con Hugging Face…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="579"/>
        <source>Checking {0}…</source>
        <translation>Comprobando {0}…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="604"/>
        <source>Pausing…</source>
        <translation>Pausando…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="625"/>
        <source>Checking the part already downloaded…</source>
        <translation>Comprobando la parte ya descargada…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="627"/>
        <source>Verifying the download…</source>
        <translation>Verificando la descarga…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="629"/>
        <source>Downloading {0}…</source>
        <translation>Descargando {0}…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="630"/>
        <location filename="../../copilot/ui/wizard/pages.py" line="640"/>
        <source>{0} of {1}</source>
        <translation>{0} de {1}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="632"/>
        <source>{0}/s</source>
        <translation>{0}/s</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="634"/>
        <source>{0} left</source>
        <translation>quedan {0}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="647"/>
        <source>Downloaded and verified.</source>
        <translation>Descargado y verificado.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="653"/>
        <source>The file is complete and its checksum matches.</source>
        <translation>El archivo está completo y su suma de comprobación coincide.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="654"/>
        <source>The file is a complete, loadable model (no reference checksum is known for it).</source>
        <translation>El archivo es un modelo completo que se puede cargar (no se conoce ninguna suma de comprobación de referencia para él).</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="668"/>
        <source>Paused. Resume now or later: the part downloaded so far is kept.</source>
        <translation>En pausa. Reanuda ahora o más tarde: se conserva lo descargado hasta el momento.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="669"/>
        <source>&amp;Resume</source>
        <translation>&amp;Reanudar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="676"/>
        <source>The download stopped.</source>
        <translation>La descarga se ha detenido.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="684"/>
        <source>This system has no keyring: the token is kept only until you close the app.</source>
        <translation>Este sistema no tiene llavero: el token solo se conservará hasta que cierres la app.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="692"/>
        <source>This file cannot be used.</source>
        <translation>Este archivo no se puede usar.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="693"/>
        <source>Cancelled.</source>
        <translation>Cancelado.</translation>
    </message>
</context>
<context>
    <name>FileDropMixin</name>
    <message>
        <location filename="../../copilot/ui/panes/files.py" line="66"/>
        <source>Open a file</source>
        <translation>Abrir un archivo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/files.py" line="67"/>
        <source>Supported files ({0})</source>
        <translation>Archivos compatibles ({0})</translation>
    </message>
</context>
<context>
    <name>HardwarePage</name>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="80"/>
        <source>This computer</source>
        <translation>Este equipo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="81"/>
        <source>How well gpt-oss-20b will run here, and why.</source>
        <translation>Qué tal funcionará gpt-oss-20b en este equipo, y por qué.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="86"/>
        <source>Checking this computer</source>
        <translation>Comprobando este equipo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="87"/>
        <source>Checking this computer…</source>
        <translation>Comprobando este equipo…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="89"/>
        <source>Verdict</source>
        <translation>Valoración</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="97"/>
        <source>Memory:</source>
        <translation>Memoria:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="98"/>
        <source>Graphics:</source>
        <translation>Gráficos:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="99"/>
        <source>Disk:</source>
        <translation>Disco:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="100"/>
        <source>Processor:</source>
        <translation>Procesador:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="133"/>
        <source>This computer could not be checked ({0}). You can still choose a model.</source>
        <translation>No se ha podido comprobar este equipo ({0}). Aun así, puedes elegir un modelo.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="142"/>
        <source>gpt-oss-20b runs well here.</source>
        <translation>gpt-oss-20b funciona bien en este equipo.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="143"/>
        <source>gpt-oss-20b runs here, slowly.</source>
        <translation>gpt-oss-20b funciona en este equipo, pero despacio.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="144"/>
        <source>gpt-oss-20b will not fit in this computer&apos;s memory.</source>
        <translation>gpt-oss-20b no cabe en la memoria de este equipo.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="148"/>
        <source>{0} ({1} free)</source>
        <translation>{0} ({1} libres)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="151"/>
        <source>shares the main memory</source>
        <translation>comparte la memoria principal</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="153"/>
        <source>none that this build of llama.cpp can use</source>
        <translation>ninguna que esta compilación de llama.cpp pueda usar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="154"/>
        <source>none found</source>
        <translation>no se ha encontrado ninguna</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="156"/>
        <source>{0} free for models</source>
        <translation>{0} libres para modelos</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="157"/>
        <source>no vector extensions found</source>
        <translation>no se han encontrado extensiones vectoriales</translation>
    </message>
</context>
<context>
    <name>HistoryPane</name>
    <message>
        <location filename="../../copilot/ui/history.py" line="27"/>
        <location filename="../../copilot/ui/history.py" line="28"/>
        <source>Search history</source>
        <translation>Buscar en el historial</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="36"/>
        <source>All panes</source>
        <translation>Todas las secciones</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="39"/>
        <source>Show history of</source>
        <translation>Mostrar el historial de</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="43"/>
        <source>Past runs</source>
        <translation>Entradas anteriores</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="48"/>
        <source>Selected run</source>
        <translation>Entrada seleccionada</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="50"/>
        <source>Figures of the selected run</source>
        <translation>Cifras de la ejecución seleccionada</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="54"/>
        <source>Totals per day and per backend</source>
        <translation>Totales por día y por motor</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="55"/>
        <source>Totals</source>
        <translation>Totales</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="55"/>
        <source>Runs</source>
        <translation>Ejecuciones</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="55"/>
        <source>Prompt tokens</source>
        <translation>Tokens de entrada</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="56"/>
        <source>Answer tokens</source>
        <translation>Tokens de respuesta</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="56"/>
        <source>First token</source>
        <translation>Primer token</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="56"/>
        <source>Tokens/s</source>
        <translation>Tokens/s</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="57"/>
        <source>Cut</source>
        <translation>Cortadas</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="57"/>
        <source>Stopped</source>
        <translation>Detenidas</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="59"/>
        <source>&amp;Reopen</source>
        <translation>&amp;Reabrir</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="60"/>
        <source>Reopen in its pane</source>
        <translation>Reabrir en su sección</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="62"/>
        <source>&amp;Delete</source>
        <translation>&amp;Eliminar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="63"/>
        <source>Delete this run</source>
        <translation>Eliminar esta entrada</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="106"/>
        <source>Per day</source>
        <translation>Por día</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="107"/>
        <source>Per backend</source>
        <translation>Por motor</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="117"/>
        <source>{0} s</source>
        <translation>{0} s</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="124"/>
        <source>This computer</source>
        <translation>Este ordenador</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="124"/>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="125"/>
        <source>This computer, for the server</source>
        <translation>Este ordenador, en lugar del servidor</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="134"/>
        <source>No figures were recorded for this run.</source>
        <translation>No se registraron cifras de esta ejecución.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="135"/>
        <source>unknown model</source>
        <translation>modelo desconocido</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="137"/>
        <source>effort {0}</source>
        <translation>esfuerzo {0}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="138"/>
        <source>{0} prompt + {1} answer tokens</source>
        <translation>{0} tokens de entrada + {1} de respuesta</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="139"/>
        <source>first token after {0} s</source>
        <translation>primer token a los {0} s</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="141"/>
        <source>{0} tokens/s</source>
        <translation>{0} tokens/s</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="143"/>
        <source>cut at the length limit</source>
        <translation>cortada en el límite de longitud</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="145"/>
        <source>stopped</source>
        <translation>detenida</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="147"/>
        <source>stopped: the model repeated itself</source>
        <translation>detenida: el modelo se repetía</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="184"/>
        <source>Delete</source>
        <translation>Eliminar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/history.py" line="184"/>
        <source>Delete this run from the history? This cannot be undone.</source>
        <translation>¿Eliminar esta entrada del historial? No se puede deshacer.</translation>
    </message>
</context>
<context>
    <name>Hotkey</name>
    <message>
        <location filename="../../copilot/ui/application.py" line="181"/>
        <source>On Wayland the hotkey is registered with your desktop through its shortcuts portal: the desktop asks you to confirm it and binds the keys (change them in its keyboard settings).</source>
        <translation>En Wayland, el atajo se registra en tu escritorio a través de su portal de atajos: el escritorio te pide que lo confirmes y asigna las teclas (cámbialas en sus ajustes de teclado).</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/application.py" line="207"/>
        <source>Rewrite the selected text with Private Copilot</source>
        <translation>Reescribir el texto seleccionado con Private Copilot</translation>
    </message>
</context>
<context>
    <name>HotkeyController</name>
    <message>
        <location filename="../../copilot/hotkey/controller.py" line="87"/>
        <source>The result is on the clipboard: paste it with Ctrl+V.</source>
        <translation>El resultado está en el portapapeles: pégalo con Ctrl+V.</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/controller.py" line="99"/>
        <source>Copied.</source>
        <translation>Copiado.</translation>
    </message>
</context>
<context>
    <name>InvitationDialog</name>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="45"/>
        <source>Invitation</source>
        <translation>Invitación</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="48"/>
        <source>Title</source>
        <translation>Título</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="51"/>
        <source>Time zone</source>
        <translation>Zona horaria</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="53"/>
        <source>UTC offset of the email (%1)</source>
        <translation>Desfase UTC del correo (%1)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="61"/>
        <source>Start</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="67"/>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="69"/>
        <source>Length in minutes</source>
        <translation>Duración en minutos</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="71"/>
        <source>Location or meeting link</source>
        <translation>Lugar o enlace de la reunión</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="73"/>
        <source>Your address (organizer)</source>
        <translation>Tu dirección (organizador)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="76"/>
        <source>Attendees</source>
        <translation>Asistentes</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="77"/>
        <source>One per line, as: Ana Gómez &lt;ana@example.com&gt;</source>
        <translation>Uno por línea, así: Ana Gómez &lt;ana@example.com&gt;</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="81"/>
        <source>T&amp;itle:</source>
        <translation>&amp;Título:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="81"/>
        <source>&amp;Start:</source>
        <translation>&amp;Inicio:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="82"/>
        <source>&amp;Length:</source>
        <translation>D&amp;uración:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="82"/>
        <source>Time &amp;zone:</source>
        <translation>&amp;Zona horaria:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="83"/>
        <source>L&amp;ocation:</source>
        <translation>&amp;Lugar:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="83"/>
        <source>Your a&amp;ddress:</source>
        <translation>Tu dir&amp;ección:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="84"/>
        <source>&amp;Attendees:</source>
        <translation>&amp;Asistentes:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="89"/>
        <source>From the email: “{0}”</source>
        <translation>Del correo: «{0}»</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="92"/>
        <source>What to check</source>
        <translation>Qué revisar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="98"/>
        <source>Attac&amp;h to reply</source>
        <translation>Adjuntar a la &amp;respuesta</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="99"/>
        <source>The exported .eml reply carries the invitation, so the other side can Accept or Decline it</source>
        <translation>La respuesta exportada en .eml lleva la invitación, para que la otra parte pueda Aceptarla o Rechazarla</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="103"/>
        <source>Sa&amp;ve .ics…</source>
        <translation>&amp;Guardar .ics…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="106"/>
        <source>Open in &amp;calendar app</source>
        <translation>Abrir en la app de &amp;calendario</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="108"/>
        <source>&amp;Remove from reply</source>
        <translation>&amp;Quitar de la respuesta</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="111"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="137"/>
        <source>“{0}” is not a time zone: choose one from the list (e.g. Europe/Madrid).</source>
        <translation>«{0}» no es una zona horaria: elige una de la lista (p. ej., Europe/Madrid).</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="158"/>
        <source>The email does not say this: {0}. Check the date and time.</source>
        <translation>El correo no dice esto: {0}. Revisa la fecha y la hora.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="161"/>
        <source>Enter your address as the organizer: calendar apps need it to send the answers back.</source>
        <translation>Escribe tu dirección como organizador: las apps de calendario la necesitan para enviarte las respuestas.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="164"/>
        <source>Add at least one attendee.</source>
        <translation>Añade al menos un asistente.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/invitation_dialog.py" line="192"/>
        <source>Save the invitation</source>
        <translation>Guardar la invitación</translation>
    </message>
</context>
<context>
    <name>LeftoverBanner</name>
    <message>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="163"/>
        <source>Transcribe</source>
        <translation>Transcribir</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="165"/>
        <source>Delete</source>
        <translation>Eliminar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="184"/>
        <source>A recording was not transcribed: {0} ({1}).</source>
        <translation>Hay una grabación sin transcribir: {0} ({1}).</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="186"/>
        <source>{0} more after it.</source>
        <translation>{0} más después.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../copilot/ui/application.py" line="248"/>
        <source>Show Private Copilot</source>
        <translation>Mostrar Private Copilot</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/application.py" line="251"/>
        <source>Quit</source>
        <translation>Salir</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="54"/>
        <location filename="../../copilot/ui/main_window.py" line="477"/>
        <source>Private Copilot</source>
        <translation>Private Copilot</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="59"/>
        <source>Email reply</source>
        <translation>Respuesta de correo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="59"/>
        <source>Meeting summary</source>
        <translation>Resumen de reunión</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="59"/>
        <source>Writing</source>
        <translation>Redacción</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="65"/>
        <source>Sections</source>
        <translation>Secciones</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="72"/>
        <source>History</source>
        <translation>Historial</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="74"/>
        <location filename="../../copilot/ui/main_window.py" line="135"/>
        <location filename="../../copilot/ui/main_window.py" line="366"/>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="84"/>
        <source>No model</source>
        <translation>Sin modelo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="85"/>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="95"/>
        <source>Where your text goes</source>
        <translation>Adónde va tu texto</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="99"/>
        <source>Speed of the last answer</source>
        <translation>Velocidad de la última respuesta</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="147"/>
        <source>&amp;Speech model…</source>
        <translation>Modelo de &amp;voz…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="148"/>
        <source>Download or choose the model that transcribes meeting recordings</source>
        <translation>Descarga o elige el modelo que transcribe las grabaciones de reuniones</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="156"/>
        <source>Save &amp;diagnostics…</source>
        <translation>Guardar &amp;diagnóstico…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="157"/>
        <source>Save a zip for a bug report: versions, hardware, settings, logs and run figures, with nothing of your text</source>
        <translation>Guarda un zip para informar de un error: versiones, hardware, ajustes, registros y cifras de las ejecuciones, sin nada de tu texto</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="160"/>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="187"/>
        <source>Loading {0}…</source>
        <translation>Cargando {0}…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="195"/>
        <source>⇅ Text is sent to {0}</source>
        <translation>⇅ El texto se envía a {0}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="214"/>
        <source>Model not loaded</source>
        <translation>Modelo no cargado</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="232"/>
        <source>Model unloaded while idle (it loads again when needed)</source>
        <translation>Modelo liberado por inactividad (se volverá a cargar cuando haga falta)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="238"/>
        <source>{0} tokens/s</source>
        <translation>{0} tokens/s</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="448"/>
        <source>Save diagnostics</source>
        <translation>Guardar diagnóstico</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="449"/>
        <source>The diagnostics could not be collected: {0}</source>
        <translation>No se pudo reunir el diagnóstico: {0}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="457"/>
        <source>Diagnostics saved to {0}</source>
        <translation>Diagnóstico guardado en {0}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="478"/>
        <source>Still running in the tray. Quit from its menu, or with {0}.</source>
        <translation>Sigue abierto en la bandeja del sistema. Para salir, usa su menú o pulsa {0}.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="366"/>
        <source>Could not save the settings: {0}</source>
        <translation>No se han podido guardar los ajustes: {0}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="140"/>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="144"/>
        <source>&amp;Manage models…</source>
        <translation>&amp;Gestionar modelos…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="150"/>
        <source>&amp;Models</source>
        <translation>&amp;Modelos</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="181"/>
        <source>No model: press Ctrl+Shift+M to get one</source>
        <translation>Sin modelo: pulsa Ctrl+Mayús+M para obtener uno</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="375"/>
        <source>The new language appears when the app restarts.</source>
        <translation>El nuevo idioma se mostrará cuando reinicies la app.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="380"/>
        <source>Could not change start at login: {0}</source>
        <translation>No se ha podido cambiar el inicio automático: {0}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="383"/>
        <source>The history setting takes effect when the app restarts.</source>
        <translation>El ajuste del historial se aplicará cuando reinicies la app.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/main_window.py" line="406"/>
        <source>Drafts could not be saved: {0}</source>
        <translation>No se han podido guardar los borradores: {0}</translation>
    </message>
</context>
<context>
    <name>MeetingPane</name>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="80"/>
        <source>Meeting notes or transcript</source>
        <translation>Notas o transcripción de la reunión</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="83"/>
        <source>Open…</source>
        <translation>Abrir…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="77"/>
        <source>Paste meeting notes or a transcript here, open or drop a .txt, .vtt, .srt or .docx file or a recording (.mp3, .m4a, .wav, .mp4…), or record the meeting.</source>
        <translation>Pega aquí las notas o la transcripción de la reunión, abre o arrastra un archivo .txt, .vtt, .srt o .docx o una grabación (.mp3, .m4a, .wav, .mp4…), o graba la reunión.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="84"/>
        <source>Open a transcript or a recording</source>
        <translation>Abrir una transcripción o una grabación</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="95"/>
        <source>Transcription progress</source>
        <translation>Progreso de la transcripción</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="97"/>
        <source>Transcription status</source>
        <translation>Estado de la transcripción</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="98"/>
        <source>Stop transcribing</source>
        <translation>Detener la transcripción</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="107"/>
        <source>Rename speaker…</source>
        <translation>Renombrar participante…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="108"/>
        <source>Rename a speaker everywhere</source>
        <translation>Renombrar a un participante en todo el texto</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="110"/>
        <source>Export transcript…</source>
        <translation>Exportar transcripción…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="111"/>
        <source>Export the transcript as subtitles or text</source>
        <translation>Exportar la transcripción como subtítulos o texto</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="114"/>
        <location filename="../../copilot/ui/panes/meeting.py" line="394"/>
        <source>▶ &amp;Play</source>
        <translation>▶ &amp;Reproducir</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="115"/>
        <source>Play this moment of the recording</source>
        <translation>Reproducir este momento de la grabación</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="116"/>
        <source>Play the recording from the line the cursor is on (or the lines a citation points to), while the recording is kept</source>
        <translation>Reproduce la grabación desde la línea donde está el cursor (o las líneas que señala una cita), mientras la grabación se conserve</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="130"/>
        <source>General meeting</source>
        <translation>Reunión general</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="130"/>
        <source>Stand-up</source>
        <translation>Reunión diaria</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="131"/>
        <source>Client call</source>
        <translation>Llamada con cliente</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="133"/>
        <source>Template</source>
        <translation>Plantilla</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="136"/>
        <source>Same as the notes</source>
        <translation>Igual que las notas</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="139"/>
        <source>Language of the minutes</source>
        <translation>Idioma del acta</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="149"/>
        <source>&amp;Export…</source>
        <translation>&amp;Exportar…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="151"/>
        <source>Save the minutes as Markdown (with citations), Word or plain text</source>
        <translation>Guarda el acta como Markdown (con las citas), Word o texto sin formato</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="153"/>
        <source>&amp;Tasks…</source>
        <translation>&amp;Tareas…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="154"/>
        <source>Action items as tasks</source>
        <translation>Las tareas del acta como tareas de calendario</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="155"/>
        <source>The action items as calendar tasks (.ics), a Markdown checklist or plain text (Ctrl+T)</source>
        <translation>Las tareas del acta como tareas de calendario (.ics), una lista de tareas en Markdown o texto sin formato (Ctrl+T)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="163"/>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="164"/>
        <source>Copy the minutes</source>
        <translation>Copiar el acta</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="168"/>
        <source>Te&amp;mplate:</source>
        <translation>&amp;Plantilla:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="168"/>
        <source>L&amp;anguage:</source>
        <translation>&amp;Idioma:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="177"/>
        <source>Notes or transcript</source>
        <translation>Notas o transcripción</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="257"/>
        <source>A recording is being transcribed: wait for it, or stop it first.</source>
        <translation>Se está transcribiendo una grabación: espera a que termine o detenla antes.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="264"/>
        <source>There is no speech model yet: download whisper-small (484 MB) from Models › Speech model…, or choose a model folder there.</source>
        <translation>Todavía no hay modelo de voz: descarga whisper-small (484 MB) en Modelos › Modelo de voz…, o elige allí una carpeta con un modelo.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="266"/>
        <source>The recording is kept.</source>
        <translation>La grabación se conserva.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="284"/>
        <source>Reading {0}…</source>
        <translation>Leyendo {0}…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="290"/>
        <source>Transcribe</source>
        <translation>Transcribir</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="291"/>
        <source>Replace the notes with the recording&apos;s transcript?</source>
        <translation>¿Sustituir las notas por la transcripción de la grabación?</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="315"/>
        <source>Paused while the model answers…</source>
        <translation>En pausa mientras responde el modelo…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="317"/>
        <source>Transcribing… about {0} left</source>
        <translation>Transcribiendo… quedan unos {0}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="319"/>
        <source>Transcribing…</source>
        <translation>Transcribiendo…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="338"/>
        <source>No speech was heard in {0}: it holds silence or noise only.</source>
        <translation>No se ha oído voz en {0}: solo contiene silencio o ruido.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="366"/>
        <source>The recording could not be kept: {0}</source>
        <translation>No se ha podido conservar la grabación: {0}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="373"/>
        <source>The minutes will start as soon as the transcript is finished.</source>
        <translation>El acta empezará en cuanto termine la transcripción.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="394"/>
        <source>■ &amp;Stop playing</source>
        <translation>■ &amp;Detener la reproducción</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="441"/>
        <source>No line starts with a speaker&apos;s name (&quot;Name: …&quot;).</source>
        <translation>Ninguna línea empieza con el nombre de un participante («Nombre: …»).</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="443"/>
        <location filename="../../copilot/ui/panes/meeting.py" line="446"/>
        <source>Rename speaker</source>
        <translation>Renombrar participante</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="443"/>
        <source>Speaker:</source>
        <translation>Participante:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="446"/>
        <source>New name for {0}:</source>
        <translation>Nuevo nombre para {0}:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="469"/>
        <source>There is no transcript to export yet.</source>
        <translation>Todavía no hay transcripción que exportar.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="471"/>
        <source>WebVTT subtitles (*.vtt)</source>
        <translation>Subtítulos WebVTT (*.vtt)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="471"/>
        <source>SubRip subtitles (*.srt)</source>
        <translation>Subtítulos SubRip (*.srt)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="472"/>
        <source>Text with times (*.txt)</source>
        <translation>Texto con tiempos (*.txt)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="473"/>
        <source>Export the transcript</source>
        <translation>Exportar la transcripción</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="493"/>
        <source>There is nothing to summarize: paste notes or open a transcript.</source>
        <translation>No hay nada que resumir: pega notas o abre una transcripción.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="532"/>
        <source>{0} of {1} items have no verified source in the transcript; hover the marked ones to see why.</source>
        <translation>{0} de {1} puntos no tienen una fuente verificada en la transcripción; pasa el cursor por los marcados para ver por qué.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="535"/>
        <source>Every item cites the transcript lines it comes from: click a citation to see them.</source>
        <translation>Cada punto cita las líneas de la transcripción de las que sale: haz clic en una cita para verlas.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="544"/>
        <source>No source found in the transcript.</source>
        <translation>No se encontró la fuente en la transcripción.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="545"/>
        <source>Check this against the transcript: {0}.</source>
        <translation>Compruébalo con la transcripción: {0}.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="610"/>
        <source>There are no minutes to export yet.</source>
        <translation>Todavía no hay acta que exportar.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="612"/>
        <source>Markdown, with citations (*.md)</source>
        <translation>Markdown, con las citas (*.md)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="612"/>
        <source>Word document (*.docx)</source>
        <translation>Documento de Word (*.docx)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="613"/>
        <source>Plain text (*.txt)</source>
        <translation>Texto sin formato (*.txt)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="633"/>
        <source>Minutes of {0}</source>
        <translation>Acta del {0}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="633"/>
        <source>Minutes</source>
        <translation>Acta</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="654"/>
        <source>There are no minutes yet: generate them first, then turn their action items into tasks.</source>
        <translation>Todavía no hay acta: genérala primero y luego convierte sus tareas en tareas de calendario.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="658"/>
        <source>These minutes have no Action items section, so there are no tasks to export.</source>
        <translation>Este acta no tiene sección de Tareas, así que no hay tareas que exportar.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="150"/>
        <location filename="../../copilot/ui/panes/meeting.py" line="614"/>
        <source>Export the minutes</source>
        <translation>Exportar el acta</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting.py" line="482"/>
        <location filename="../../copilot/ui/panes/meeting.py" line="629"/>
        <source>Could not save {0}: {1}</source>
        <translation>No se ha podido guardar {0}: {1}</translation>
    </message>
</context>
<context>
    <name>ModelPage</name>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="165"/>
        <source>Choose the model</source>
        <translation>Elegir el modelo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="166"/>
        <source>Use a copy you already have, or download it once.</source>
        <translation>Usa una copia que ya tengas o descárgalo una sola vez.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="172"/>
        <source>&amp;Choose a file…</source>
        <translation>&amp;Elegir un archivo…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="176"/>
        <source>Change &amp;folder…</source>
        <translation>Cambiar &amp;carpeta…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="198"/>
        <source>Use {0}: no download
{1}</source>
        <translation>Usar {0}: sin descarga
{1}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="204"/>
        <source>Resume downloading {0} ({1} of {2} done)</source>
        <translation>Reanudar la descarga de {0} ({1} de {2} descargados)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="207"/>
        <source>Download {0} ({1}) from Hugging Face</source>
        <translation>Descargar {0} ({1}) de Hugging Face</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="209"/>
        <source> — runs slowly here</source>
        <translation> — funciona despacio en este equipo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="213"/>
        <source>Will not fit: {0}</source>
        <translation>No cabe: {0}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="215"/>
        <source>Use {0}</source>
        <translation>Usar {0}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="220"/>
        <source>Set by your administrator</source>
        <translation>Lo fija tu administrador</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="226"/>
        <source>Use my team&apos;s server: no download
Answers come from a server your team runs (vLLM, llama-server, Ollama…); the local model can be added later.</source>
        <translation>Usar el servidor de mi equipo: sin descargas
Las respuestas llegan de un servidor que gestiona tu equipo (vLLM, llama-server, Ollama…); el modelo local se puede añadir más tarde.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="230"/>
        <source>Found {0} but it cannot be used: {1}</source>
        <translation>Se ha encontrado {0}, pero no se puede usar: {1}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="258"/>
        <source>Downloads go to: {0}</source>
        <translation>Las descargas se guardan en: {0}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="262"/>
        <source>Choose a model file</source>
        <translation>Elegir un archivo de modelo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="263"/>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>Modelos GGUF (*.gguf);;Todos los archivos (*)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="278"/>
        <source>{0} is a {1} model, not gpt-oss: it works, but the app is tuned for gpt-oss.</source>
        <translation>{0} es un modelo {1}, no gpt-oss: funciona, pero la app está optimizada para gpt-oss.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="286"/>
        <source>Folder for models</source>
        <translation>Carpeta para los modelos</translation>
    </message>
</context>
<context>
    <name>ModelWizard</name>
    <message>
        <location filename="../../copilot/ui/wizard/wizard.py" line="53"/>
        <source>Private Copilot — Set up</source>
        <translation>Private Copilot — Configuración</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/wizard.py" line="53"/>
        <source>Manage models</source>
        <translation>Gestionar modelos</translation>
    </message>
</context>
<context>
    <name>OutputView</name>
    <message>
        <location filename="../../copilot/ui/widgets/output_view.py" line="70"/>
        <location filename="../../copilot/ui/widgets/output_view.py" line="81"/>
        <source>Reasoning</source>
        <translation>Razonamiento</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/widgets/output_view.py" line="75"/>
        <source>Show reasoning</source>
        <translation>Mostrar el razonamiento</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/widgets/output_view.py" line="84"/>
        <source>Answer</source>
        <translation>Respuesta</translation>
    </message>
</context>
<context>
    <name>PrivacyPanel</name>
    <message>
        <location filename="../../copilot/ui/privacy_panel.py" line="26"/>
        <location filename="../../copilot/ui/privacy_panel.py" line="28"/>
        <source>Network activity</source>
        <translation>Actividad de red</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/privacy_panel.py" line="27"/>
        <source>&lt;b&gt;Network activity&lt;/b&gt;</source>
        <translation>&lt;b&gt;Actividad de red&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/privacy_panel.py" line="31"/>
        <source>Summary of the connections</source>
        <translation>Resumen de las conexiones</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/privacy_panel.py" line="34"/>
        <source>Every connection this app tries to open to another computer is listed here: when, where to, and why (a model download, your team server, or unexpected). Only destinations are recorded, never your text. Connections inside this computer (for example to the screen or to a server on localhost) are not listed. In privacy mode an unexpected connection is blocked before it is made.</source>
        <translation>Aquí aparece cada conexión que esta app intenta abrir con otro ordenador: cuándo, adónde y por qué (la descarga de un modelo, el servidor de tu equipo o inesperada). Solo se registran los destinos, nunca tu texto. Las conexiones dentro de este ordenador (por ejemplo, con la pantalla o con un servidor en localhost) no se listan. En modo privado, una conexión inesperada se bloquea antes de abrirse.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/privacy_panel.py" line="40"/>
        <source>What is recorded</source>
        <translation>Qué se registra</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/privacy_panel.py" line="42"/>
        <source>Connections since the app started</source>
        <translation>Conexiones desde que se abrió la app</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/privacy_panel.py" line="43"/>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/privacy_panel.py" line="43"/>
        <source>Destination</source>
        <translation>Destino</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/privacy_panel.py" line="43"/>
        <source>Purpose</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/privacy_panel.py" line="44"/>
        <location filename="../../copilot/ui/privacy_panel.py" line="85"/>
        <source>Blocked</source>
        <translation>Bloqueada</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/privacy_panel.py" line="85"/>
        <source>No</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/privacy_panel.py" line="94"/>
        <source>No connections since the app started.</source>
        <translation>Ninguna conexión desde que se abrió la app.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/privacy_panel.py" line="99"/>
        <source>1 connection attempt since the app started, to: {0}.</source>
        <translation>1 intento de conexión desde que se abrió la app, a: {0}.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/privacy_panel.py" line="101"/>
        <source>{0} connection attempts since the app started, to: {1}.</source>
        <translation>{0} intentos de conexión desde que se abrió la app, a: {1}.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/privacy_panel.py" line="104"/>
        <source>Unexpected: {0}.</source>
        <translation>Inesperadas: {0}.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/privacy_panel.py" line="106"/>
        <source>Blocked by privacy mode: {0}.</source>
        <translation>Bloqueadas por el modo privado: {0}.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/privacy_panel.py" line="110"/>
        <source>Model download</source>
        <translation>Descarga de modelo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/privacy_panel.py" line="110"/>
        <source>Team server</source>
        <translation>Servidor del equipo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/privacy_panel.py" line="111"/>
        <source>Unexpected</source>
        <translation>Inesperada</translation>
    </message>
</context>
<context>
    <name>RecordPanel</name>
    <message>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="29"/>
        <source>Microphone</source>
        <translation>Micrófono</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="29"/>
        <source>Computer sound</source>
        <translation>Sonido del equipo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="30"/>
        <source>Microphone and computer sound</source>
        <translation>Micrófono y sonido del equipo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="32"/>
        <source>What to record</source>
        <translation>Qué grabar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="36"/>
        <source>Recording the computer&apos;s sound (the other side of a call) is available on Linux only for now: record the microphone, or import the call&apos;s recording.</source>
        <translation>Grabar el sonido del equipo (la otra parte de una llamada) solo está disponible en Linux por ahora: graba el micrófono o importa la grabación de la llamada.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="40"/>
        <source>Computer sound is what your speakers or headset play: the other side of a call. Both mixes it with your microphone.</source>
        <translation>El sonido del equipo es lo que suena por tus altavoces o auriculares: la otra parte de una llamada. «Micrófono y sonido del equipo» lo mezcla con tu micrófono.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="42"/>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="137"/>
        <source>● Record</source>
        <translation>● Grabar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="43"/>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="139"/>
        <source>Record a meeting</source>
        <translation>Grabar una reunión</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="44"/>
        <source>Record the meeting on this computer (Ctrl+R); it is transcribed here when you stop.</source>
        <translation>Graba la reunión en este equipo (Ctrl+R); se transcribe aquí al detenerla.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="47"/>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="145"/>
        <source>Pause</source>
        <translation>Pausa</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="48"/>
        <source>Pause the recording</source>
        <translation>Pausar la grabación</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="55"/>
        <source>Sound level</source>
        <translation>Nivel de sonido</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="57"/>
        <source>Time recorded</source>
        <translation>Tiempo grabado</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="91"/>
        <source>The recording could not be started: {0}</source>
        <translation>No se ha podido empezar a grabar: {0}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="137"/>
        <source>■ Stop</source>
        <translation>■ Detener</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="138"/>
        <source>Stop recording and transcribe</source>
        <translation>Detener la grabación y transcribir</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/meeting_audio.py" line="145"/>
        <source>Resume</source>
        <translation>Reanudar</translation>
    </message>
</context>
<context>
    <name>RewritePopup</name>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="82"/>
        <source>Private Copilot — Rewrite</source>
        <translation>Private Copilot — Reescribir</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="83"/>
        <source>Rewrite the selected text</source>
        <translation>Reescribir el texto seleccionado</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="109"/>
        <source>Proofread</source>
        <translation>Corregir</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="109"/>
        <source>Rewrite</source>
        <translation>Reescribir</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="109"/>
        <source>Friendly</source>
        <translation>Cordial</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="110"/>
        <source>Professional</source>
        <translation>Profesional</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="110"/>
        <source>Concise</source>
        <translation>Conciso</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="111"/>
        <source>Summarize</source>
        <translation>Resumir</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="111"/>
        <source>Key points</source>
        <translation>Puntos clave</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="111"/>
        <source>List</source>
        <translation>Lista</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="112"/>
        <source>Table</source>
        <translation>Tabla</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="142"/>
        <location filename="../../copilot/hotkey/popup.py" line="244"/>
        <source>Custom instruction</source>
        <translation>Instrucción personalizada</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="120"/>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="128"/>
        <source>Selected text</source>
        <translation>Texto seleccionado</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="130"/>
        <source>Nothing was selected. Type or paste the text to work on, then press Tab and choose an action (or Ctrl+Enter).</source>
        <translation>No se ha seleccionado nada. Escribe o pega el texto con el que quieres trabajar; luego pulsa Tab y elige una acción (o Ctrl+Intro).</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="132"/>
        <source>Text to work on</source>
        <translation>Texto con el que trabajar</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="135"/>
        <source>Writing actions</source>
        <translation>Acciones de redacción</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="136"/>
        <source>Press a number key to run an action at once, or Enter to run the selected one.</source>
        <translation>Pulsa una tecla numérica para ejecutar una acción al instante, o Intro para ejecutar la seleccionada.</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="253"/>
        <source>{0}, key {1}</source>
        <translation>{0}, tecla {1}</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="141"/>
        <source>Or describe a change, e.g. &quot;make it more confident&quot;</source>
        <translation>O describe un cambio, p. ej., «que suene más seguro»</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="112"/>
        <source>Translate</source>
        <translation>Traducir</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="112"/>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="143"/>
        <source>1–9: run an action · Enter: run the selected one · Esc: close</source>
        <translation>1–9: ejecutar una acción · Intro: ejecutar la seleccionada · Esc: cerrar</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="156"/>
        <source>Changes</source>
        <translation>Cambios</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="159"/>
        <location filename="../../copilot/hotkey/popup.py" line="162"/>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="176"/>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="176"/>
        <source>Back to the actions</source>
        <translation>Volver a las acciones</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="177"/>
        <source>Choose another action (Backspace)</source>
        <translation>Elegir otra acción (Retroceso)</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="178"/>
        <source>Show text</source>
        <translation>Mostrar texto</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="178"/>
        <source>Switch between the changes and the result</source>
        <translation>Alternar entre los cambios y el resultado</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="179"/>
        <source>Show the result without the changes marked</source>
        <translation>Mostrar el resultado sin los cambios marcados</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="182"/>
        <source>Retry</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="182"/>
        <source>Run the action again (R)</source>
        <translation>Volver a ejecutar la acción (R)</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="183"/>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="183"/>
        <source>Copy the result</source>
        <translation>Copiar el resultado</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="183"/>
        <source>Copy the result (Ctrl+C)</source>
        <translation>Copiar el resultado (Ctrl+C)</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="185"/>
        <source>Continue in Writing pane</source>
        <translation>Continuar en Redacción</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="185"/>
        <source>Continue in the Writing pane</source>
        <translation>Continuar en la sección Redacción</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="186"/>
        <source>Open the text and the result in the Writing pane</source>
        <translation>Abrir el texto y el resultado en la sección Redacción</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="188"/>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="188"/>
        <source>Stop (Esc)</source>
        <translation>Detener (Esc)</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="189"/>
        <source>Replace</source>
        <translation>Sustituir</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="189"/>
        <source>Replace the selection with the result</source>
        <translation>Sustituir la selección por el resultado</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="190"/>
        <source>Replace the selected text with the result (Enter)</source>
        <translation>Sustituir el texto seleccionado por el resultado (Intro)</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="199"/>
        <source>Things to check</source>
        <translation>Cosas que revisar</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="308"/>
        <source>Unknown action: {0}</source>
        <translation>Acción desconocida: {0}</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="313"/>
        <source>Type or paste some text first.</source>
        <translation>Primero escribe o pega un texto.</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="317"/>
        <source>Describe the change first, e.g. &quot;make it more confident&quot;.</source>
        <translation>Primero describe el cambio, p. ej., «que suene más seguro».</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="365"/>
        <source>{0}: starting…</source>
        <translation>{0}: iniciando…</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="414"/>
        <source>Press Enter again to replace anyway.</source>
        <translation>Pulsa Intro otra vez para reemplazar de todos modos.</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="429"/>
        <source>Copied.</source>
        <translation>Copiado.</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="472"/>
        <source>{0}: writing…</source>
        <translation>{0}: escribiendo…</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="478"/>
        <source>{0}: thinking…</source>
        <translation>{0}: pensando…</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="480"/>
        <source>{0}: reading the text…</source>
        <translation>{0}: leyendo el texto…</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="503"/>
        <source>Stopped.</source>
        <translation>Detenido.</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="505"/>
        <source>The model gave no answer. Press R to try again.</source>
        <translation>El modelo no ha dado ninguna respuesta. Pulsa R para volver a intentarlo.</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="509"/>
        <source>The answer was cut at the length limit.</source>
        <translation>La respuesta se ha cortado al llegar al límite de longitud.</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="528"/>
        <source>Stopped: another request started.</source>
        <translation>Detenido: se ha iniciado otra petición.</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="577"/>
        <source>Esc: stop</source>
        <translation>Esc: detener</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="579"/>
        <source>Enter twice: replace anyway · Ctrl+C: copy · R: retry · Esc: close</source>
        <translation>Intro dos veces: reemplazar de todos modos · Ctrl+C: copiar · R: reintentar · Esc: cerrar</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="581"/>
        <source>Enter: replace · Ctrl+C: copy · R: retry · Esc: close</source>
        <translation>Intro: sustituir · Ctrl+C: copiar · R: reintentar · Esc: cerrar</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="583"/>
        <source>Enter or Ctrl+C: copy · R: retry · Esc: close</source>
        <translation>Intro o Ctrl+C: copiar · R: reintentar · Esc: cerrar</translation>
    </message>
    <message>
        <location filename="../../copilot/hotkey/popup.py" line="585"/>
        <source>R: retry · Backspace: other action · Esc: close</source>
        <translation>R: reintentar · Retroceso: otra acción · Esc: cerrar</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="50"/>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="57"/>
        <source>gpt-oss-20b in the app&apos;s models folder</source>
        <translation>gpt-oss-20b en la carpeta de modelos de la app</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="58"/>
        <source>Model file</source>
        <translation>Archivo del modelo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="328"/>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="59"/>
        <source>Choose a model file</source>
        <translation>Elegir un archivo de modelo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="61"/>
        <source>CPU threads</source>
        <translation>Hilos de CPU</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="61"/>
        <source>Automatic</source>
        <translation>Automático</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="62"/>
        <source>GPU layers</source>
        <translation>Capas en la GPU</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="62"/>
        <source>All</source>
        <translation>Todas</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="63"/>
        <source>Context size</source>
        <translation>Tamaño del contexto</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="65"/>
        <source>Use flash attention</source>
        <translation>Usar flash attention</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="67"/>
        <source>Full precision (recommended)</source>
        <translation>Precisión completa (recomendado)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="68"/>
        <source>8-bit: half the memory, less exact</source>
        <translation>8 bits: la mitad de memoria, menos exacto</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="69"/>
        <source>Memory for the context</source>
        <translation>Memoria para el contexto</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="71"/>
        <source>The model&apos;s memory of the conversation (KV cache). 8-bit halves it (gpt-oss-20b at 16k tokens: about 0.4 GB instead of 0.8) but was measured to change the model&apos;s next-word choice in a quarter of cases on gpt-oss. Needs flash attention.</source>
        <translation>La memoria del modelo sobre la conversación (caché KV). Con 8 bits ocupa la mitad (gpt-oss-20b con 16k tokens: unos 0,4 GB en lugar de 0,8), pero se midió que cambia la siguiente palabra que elige el modelo en una cuarta parte de los casos con gpt-oss. Necesita flash attention.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="74"/>
        <source>Per task (recommended)</source>
        <translation>Según la tarea (recomendado)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="74"/>
        <source>Low</source>
        <translation>Bajo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="75"/>
        <source>Medium</source>
        <translation>Medio</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="75"/>
        <source>High</source>
        <translation>Alto</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="76"/>
        <source>Default reasoning effort</source>
        <translation>Esfuerzo de razonamiento predeterminado</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="80"/>
        <source>Global hotkey</source>
        <translation>Atajo de teclado global</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="84"/>
        <location filename="../../copilot/ui/settings_dialog.py" line="86"/>
        <source>System</source>
        <translation>Sistema</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="84"/>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="85"/>
        <source>Dark</source>
        <translation>Oscuro</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="85"/>
        <source>Theme</source>
        <translation>Tema</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="87"/>
        <source>Interface language</source>
        <translation>Idioma de la interfaz</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="88"/>
        <source>Keep forever</source>
        <translation>Conservar siempre</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="88"/>
        <source>30 days</source>
        <translation>30 días</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="89"/>
        <source>7 days</source>
        <translation>7 días</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="89"/>
        <source>Nothing (private mode)</source>
        <translation>Nada (modo privado)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="90"/>
        <source>History</source>
        <translation>Historial</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="91"/>
        <source>Private mode keeps drafts and history in memory only: nothing you write is saved to disk.</source>
        <translation>El modo privado guarda los borradores y el historial solo en memoria: nada de lo que escribes se guarda en el disco.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="93"/>
        <source>Unload the model after</source>
        <translation>Liberar el modelo tras</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="94"/>
        <source>Never</source>
        <translation>Nunca</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="95"/>
        <source> min idle</source>
        <translation> min sin uso</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="96"/>
        <source>Start Private Copilot when I log in</source>
        <translation>Abrir Private Copilot al iniciar sesión</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="102"/>
        <source>&amp;Model:</source>
        <translation>&amp;Modelo:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="104"/>
        <source>&amp;Threads:</source>
        <translation>&amp;Hilos:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="105"/>
        <source>&amp;GPU layers:</source>
        <translation>Capas de &amp;GPU:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="106"/>
        <source>&amp;Context:</source>
        <translation>Co&amp;ntexto:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="108"/>
        <source>Context memor&amp;y:</source>
        <translation>Memoria del conte&amp;xto:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="109"/>
        <source>&amp;Reasoning:</source>
        <translation>&amp;Razonamiento:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="111"/>
        <source>A&amp;dapter:</source>
        <translation>A&amp;juste LoRA:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="113"/>
        <source>Adapter sc&amp;ale:</source>
        <translation>&amp;Fuerza del ajuste:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="117"/>
        <source>&amp;Hotkey:</source>
        <translation>A&amp;tajo global:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="119"/>
        <source>Th&amp;eme:</source>
        <translation>T&amp;ema:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="120"/>
        <source>&amp;Language:</source>
        <translation>&amp;Idioma:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="121"/>
        <source>Hi&amp;story:</source>
        <translation>Hi&amp;storial:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="110"/>
        <source>&amp;Unload model:</source>
        <translation>&amp;Liberar modelo:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="164"/>
        <source>Wayland does not let apps listen for global keys: bind the command private-copilot --trigger to a shortcut in your desktop&apos;s keyboard settings.</source>
        <translation>Wayland no permite que las apps detecten atajos de teclado globales: asigna el comando private-copilot --trigger a un atajo en los ajustes de teclado de tu escritorio.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="167"/>
        <source>macOS asks once for Accessibility and Input Monitoring permission (System Settings ▸ Privacy and Security).</source>
        <translation>macOS pide una sola vez permiso de Accesibilidad y de Monitorización de entrada (Ajustes del Sistema ▸ Privacidad y seguridad).</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="169"/>
        <source>Select text in any app, press the hotkey, choose an action with 1–9.</source>
        <translation>Selecciona texto en cualquier app, pulsa el atajo y elige una acción con las teclas 1–9.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="131"/>
        <source>Meeting recordings</source>
        <translation>Grabaciones de reuniones</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="186"/>
        <source>whisper-small in the app&apos;s models folder</source>
        <translation>whisper-small en la carpeta de modelos de la app</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="187"/>
        <source>Speech model folder</source>
        <translation>Carpeta del modelo de voz</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="188"/>
        <location filename="../../copilot/ui/settings_dialog.py" line="205"/>
        <source>Choose a speech model folder</source>
        <translation>Elegir una carpeta con un modelo de voz</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="190"/>
        <source>Detect automatically</source>
        <translation>Detectar automáticamente</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="191"/>
        <source>Language spoken in the recordings</source>
        <translation>Idioma que se habla en las grabaciones</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="192"/>
        <source>Keep recordings after they are transcribed</source>
        <translation>Conservar las grabaciones después de transcribirlas</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="194"/>
        <source>Otherwise a recording is deleted once its transcript is made. Never kept in privacy mode.</source>
        <translation>Si no, la grabación se elimina en cuanto está hecha su transcripción. En modo privado nunca se conserva.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="197"/>
        <source>Speech mo&amp;del:</source>
        <translation>Modelo de vo&amp;z:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="199"/>
        <source>Spoken l&amp;anguage:</source>
        <translation>Idioma en el &amp;que se habla:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="132"/>
        <source>Team server</source>
        <translation>Servidor del equipo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="129"/>
        <source>General</source>
        <translation>General</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="130"/>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="136"/>
        <source>Privacy</source>
        <translation>Privacidad</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="151"/>
        <location filename="../../copilot/ui/settings_dialog.py" line="155"/>
        <source>Set by your administrator</source>
        <translation>Lo fija tu administrador</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="211"/>
        <source>This computer (the local model)</source>
        <translation>Este equipo (el modelo local)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="212"/>
        <source>A server (OpenAI-compatible: vLLM, llama-server, Ollama…)</source>
        <translation>Un servidor (compatible con OpenAI: vLLM, llama-server, Ollama…)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="213"/>
        <source>Where answers come from</source>
        <translation>De dónde vienen las respuestas</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="216"/>
        <source>Server address</source>
        <translation>Dirección del servidor</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="220"/>
        <source>the first model the server lists</source>
        <translation>el primer modelo que ofrezca el servidor</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="221"/>
        <source>Model on the server</source>
        <translation>Modelo en el servidor</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="226"/>
        <source>saved in the system keyring</source>
        <translation>guardada en el llavero del sistema</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="226"/>
        <location filename="../../copilot/ui/settings_dialog.py" line="342"/>
        <source>none</source>
        <translation>ninguna</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="227"/>
        <location filename="../../copilot/ui/settings_dialog.py" line="304"/>
        <source>API key</source>
        <translation>Clave de API</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="229"/>
        <source>the system&apos;s certificates</source>
        <translation>los certificados del sistema</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="230"/>
        <source>CA bundle</source>
        <translation>Certificados de AC</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="231"/>
        <source>&amp;Fall back to the local model when the server is down or busy</source>
        <translation>&amp;Usar el modelo local cuando el servidor no responda o esté saturado</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="233"/>
        <source>Only this computer: never send text to a server (&amp;privacy mode)</source>
        <translation>Solo este equipo: no enviar nunca texto a un servidor (modo &amp;privado)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="237"/>
        <source>Test c&amp;onnection</source>
        <translation>Pr&amp;obar conexión</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="241"/>
        <source>Connection test result</source>
        <translation>Resultado de la prueba de conexión</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="246"/>
        <source>Ans&amp;wers from:</source>
        <translation>Respuestas &amp;desde:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="247"/>
        <source>Ser&amp;ver:</source>
        <translation>Ser&amp;vidor:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="248"/>
        <source>Model &amp;name:</source>
        <translation>Nom&amp;bre del modelo:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="249"/>
        <source>API &amp;key:</source>
        <translation>&amp;Clave de API:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="250"/>
        <source>CA &amp;bundle:</source>
        <translation>Certificados de &amp;AC:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="274"/>
        <source>Enter the server&apos;s address first.</source>
        <translation>Escribe primero la dirección del servidor.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="278"/>
        <source>Connecting…</source>
        <translation>Conectando…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="296"/>
        <source>Connected in {0:.0f} ms. Models: {1}</source>
        <translation>Conectado en {0:.0f} ms. Modelos: {1}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="305"/>
        <source>This system has no keyring: the API key is kept only until you close the app.</source>
        <translation>Este sistema no tiene llavero: la clave de API se guarda solo hasta que cierres la app.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="343"/>
        <source>LoRA adapter file</source>
        <translation>Archivo del adaptador LoRA</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="344"/>
        <source>A LoRA adapter in GGUF form, fine-tuned for this model (for example on your team&apos;s own mail); it is checked before it is loaded</source>
        <translation>Un adaptador LoRA en formato GGUF, ajustado para este modelo (por ejemplo, con el correo de tu equipo); se comprueba antes de cargarlo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="347"/>
        <source>Choose a LoRA adapter file</source>
        <translation>Elegir un archivo de adaptador LoRA</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="354"/>
        <source>Adapter scale</source>
        <translation>Escala del adaptador</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="355"/>
        <source>How strongly the adapter changes the model: 1 as trained, 0 off</source>
        <translation>Cuánto cambia el adaptador al modelo: 1 tal como se entrenó, 0 desactivado</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="358"/>
        <source>Adapter check</source>
        <translation>Comprobación del adaptador</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="377"/>
        <source>No adapter: the model answers as released.</source>
        <translation>Sin adaptador: el modelo responde tal como se publicó.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="381"/>
        <source>Choose the model first: the adapter is checked against it.</source>
        <translation>Elige primero el modelo: el adaptador se comprueba con él.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="390"/>
        <source>A LoRA adapter for {0}: rank {1}, {2} matrices adapted, {3} MB.</source>
        <translation>Un adaptador LoRA para {0}: rango {1}, {2} matrices adaptadas, {3} MB.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="396"/>
        <source>Choose a LoRA adapter</source>
        <translation>Elegir un adaptador LoRA</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="397"/>
        <source>GGUF adapters (*.gguf)</source>
        <translation>Adaptadores GGUF (*.gguf)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="404"/>
        <source>Choose a model</source>
        <translation>Elegir un modelo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/settings_dialog.py" line="404"/>
        <source>GGUF models (*.gguf)</source>
        <translation>Modelos GGUF (*.gguf)</translation>
    </message>
</context>
<context>
    <name>SpeechModelDialog</name>
    <message>
        <location filename="../../copilot/ui/speech_model_dialog.py" line="27"/>
        <source>Speech model</source>
        <translation>Modelo de voz</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/speech_model_dialog.py" line="30"/>
        <source>Meeting recordings are turned into text on this computer by a Whisper model. Choose one to download once; nothing you record ever leaves the computer.</source>
        <translation>Un modelo Whisper convierte en texto las grabaciones de reuniones en este equipo. Elige uno para descargarlo una vez; nada de lo que grabes sale nunca del equipo.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/speech_model_dialog.py" line="42"/>
        <source>(recommended here)</source>
        <translation>(recomendado en este equipo)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/speech_model_dialog.py" line="44"/>
        <source>(downloaded)</source>
        <translation>(descargado)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/speech_model_dialog.py" line="58"/>
        <source>Download progress</source>
        <translation>Progreso de la descarga</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/speech_model_dialog.py" line="60"/>
        <location filename="../../copilot/ui/speech_model_dialog.py" line="127"/>
        <source>&amp;Download</source>
        <translation>&amp;Descargar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/speech_model_dialog.py" line="62"/>
        <location filename="../../copilot/ui/speech_model_dialog.py" line="97"/>
        <source>&amp;Pause</source>
        <translation>&amp;Pausar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/speech_model_dialog.py" line="65"/>
        <source>Cance&amp;l download</source>
        <translation>Cance&amp;lar la descarga</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/speech_model_dialog.py" line="68"/>
        <source>Use a &amp;folder I have…</source>
        <translation>Usar una carpeta &amp;mía…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/speech_model_dialog.py" line="93"/>
        <source>Connecting to Hugging Face…</source>
        <translation>Conectando con Hugging Face…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/speech_model_dialog.py" line="110"/>
        <source>Verifying</source>
        <translation>Verificando</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/speech_model_dialog.py" line="110"/>
        <source>Downloading</source>
        <translation>Descargando</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/speech_model_dialog.py" line="121"/>
        <source>Ready: recordings are transcribed with {0}.</source>
        <translation>Listo: las grabaciones se transcriben con {0}.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/speech_model_dialog.py" line="127"/>
        <source>&amp;Resume</source>
        <translation>&amp;Reanudar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/speech_model_dialog.py" line="128"/>
        <source>Paused: Resume goes on where it stopped, even after a restart.</source>
        <translation>En pausa: Reanudar sigue donde se quedó, incluso tras reiniciar.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/speech_model_dialog.py" line="129"/>
        <source>Download cancelled.</source>
        <translation>Descarga cancelada.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/speech_model_dialog.py" line="139"/>
        <source>Pausing…</source>
        <translation>Pausando…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/speech_model_dialog.py" line="151"/>
        <source>Choose a speech model folder</source>
        <translation>Elegir una carpeta con un modelo de voz</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/speech_model_dialog.py" line="159"/>
        <source>Recordings are transcribed with the model in {0} (nothing was copied).</source>
        <translation>Las grabaciones se transcriben con el modelo de {0} (no se ha copiado nada).</translation>
    </message>
</context>
<context>
    <name>TaskPane</name>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="53"/>
        <source>Low</source>
        <translation>Bajo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="54"/>
        <source>Medium</source>
        <translation>Medio</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="55"/>
        <source>High</source>
        <translation>Alto</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="59"/>
        <source>Reasoning effort</source>
        <translation>Esfuerzo de razonamiento</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="60"/>
        <source>How long the model thinks before answering: higher is slower, often better for long or tricky inputs.</source>
        <translation>Cuánto piensa el modelo antes de responder: más alto es más lento, pero suele ir mejor con textos largos o complicados.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="63"/>
        <location filename="../../copilot/ui/panes/base.py" line="66"/>
        <location filename="../../copilot/ui/panes/base.py" line="308"/>
        <source>Generate</source>
        <translation>Generar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="65"/>
        <source>Generate (Ctrl+Enter)</source>
        <translation>Generar (Ctrl+Intro)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="68"/>
        <location filename="../../copilot/ui/panes/base.py" line="70"/>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="69"/>
        <source>Stop (Esc)</source>
        <translation>Detener (Esc)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="76"/>
        <source>Progress</source>
        <translation>Progreso</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="82"/>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="93"/>
        <source>Things to check</source>
        <translation>Cosas que revisar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="94"/>
        <source>What the answer says that its sources do not: check these before you send it. Point at a marked span in the answer to see why.</source>
        <translation>Lo que la respuesta dice y sus fuentes no: revísalo antes de enviarla. Señala un fragmento marcado de la respuesta para ver por qué.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="98"/>
        <source>Cut at the length limit — Continue?</source>
        <translation>Cortada en el límite de longitud. ¿Continuar?</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="100"/>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="101"/>
        <source>Continue the answer</source>
        <translation>Continuar la respuesta</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="102"/>
        <source>Write the rest of the answer (Ctrl+Shift+Enter)</source>
        <translation>Escribir el resto de la respuesta (Ctrl+Mayús+Intro)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="135"/>
        <source>Reasonin&amp;g:</source>
        <translation>Ra&amp;zonamiento:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="307"/>
        <source>Regenerate</source>
        <translation>Volver a generar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="325"/>
        <source>Reading the input…</source>
        <translation>Leyendo el texto…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="335"/>
        <source>Stopped.</source>
        <translation>Detenido.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="297"/>
        <source>The answer was cut at the length limit.</source>
        <translation>La respuesta se ha cortado al llegar al límite de longitud.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/base.py" line="357"/>
        <source>Stopped: another request started.</source>
        <translation>Detenido: se ha iniciado otra petición.</translation>
    </message>
</context>
<context>
    <name>TasksDialog</name>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="34"/>
        <source>Action items as tasks</source>
        <translation>Las tareas del acta como tareas de calendario</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="40"/>
        <source>Meeting date</source>
        <translation>Fecha de la reunión</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="41"/>
        <source>Due dates such as “Friday” or “end of month” count from this day</source>
        <translation>Las fechas como «el viernes» o «fin de mes» se cuentan desde este día</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="46"/>
        <source>&amp;Meeting date:</source>
        <translation>&amp;Fecha de la reunión:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="51"/>
        <source>The notes do not say when the meeting was: confirm its date.</source>
        <translation>Las notas no dicen cuándo fue la reunión: confirma la fecha.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="54"/>
        <source>Task</source>
        <translation>Tarea</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="54"/>
        <source>Owner</source>
        <translation>Responsable</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="54"/>
        <source>Address</source>
        <translation>Dirección</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="55"/>
        <source>Due, as said</source>
        <translation>Plazo, tal como se dijo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="55"/>
        <source>Due date</source>
        <translation>Fecha límite</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="56"/>
        <source>Tasks</source>
        <translation>Tareas</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="57"/>
        <source>One row per action item; every cell can be edited. Due dates are written YYYY-MM-DD.</source>
        <translation>Una fila por tarea; todas las celdas se pueden editar. Las fechas límite se escriben AAAA-MM-DD.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="64"/>
        <source>What to check</source>
        <translation>Qué revisar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="66"/>
        <source>&amp;Save .ics…</source>
        <translation>&amp;Guardar .ics…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="68"/>
        <source>Save the tasks as a calendar file (Ctrl+S)</source>
        <translation>Guarda las tareas como archivo de calendario (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="71"/>
        <source>&amp;Open in calendar app</source>
        <translation>&amp;Abrir en la app de calendario</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="73"/>
        <source>Copy &amp;checklist</source>
        <translation>Copiar &amp;lista de tareas</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="74"/>
        <source>Copy as a Markdown task list (- [ ] …) for Obsidian, Notion or GitHub</source>
        <translation>Copia como lista de tareas en Markdown (- [ ] …) para Obsidian, Notion o GitHub</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="77"/>
        <source>Copy as &amp;text</source>
        <translation>Copiar como &amp;texto</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="79"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="121"/>
        <source>Not verified against the transcript: {0}</source>
        <translation>Sin verificar en la transcripción: {0}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="145"/>
        <source>Row {0}: “{1}” is not a date; write it as YYYY-MM-DD, or leave it empty for no due date.</source>
        <translation>Fila {0}: «{1}» no es una fecha; escríbela como AAAA-MM-DD o déjala vacía para no poner fecha límite.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="157"/>
        <source>The minutes&apos; Action items section lists no tasks.</source>
        <translation>La sección de Tareas del acta no tiene ninguna tarea.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../copilot/ui/tasks_dialog.py" line="164"/>
        <source>%n task(s).</source>
        <translation>
            <numerusform>%n tarea.</numerusform>
            <numerusform>%n tareas.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../copilot/ui/tasks_dialog.py" line="166"/>
        <source>%n due date(s) could not be worked out: type them (YYYY-MM-DD) or leave them empty, and those tasks get no due date.</source>
        <translation>
            <numerusform>No se pudo deducir %n fecha límite: escríbela (AAAA-MM-DD) o déjala vacía, y esa tarea no tendrá fecha límite.</numerusform>
            <numerusform>No se pudieron deducir %n fechas límite: escríbelas (AAAA-MM-DD) o déjalas vacías, y esas tareas no tendrán fecha límite.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="169"/>
        <source>Check the marked dates: hover them to see why.</source>
        <translation>Revisa las fechas marcadas: pasa el ratón por encima para ver por qué.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="181"/>
        <source>Save the tasks</source>
        <translation>Guardar las tareas</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/tasks_dialog.py" line="197"/>
        <source>Copied.</source>
        <translation>Copiado.</translation>
    </message>
</context>
<context>
    <name>TeamPage</name>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="311"/>
        <source>Your team&apos;s server</source>
        <translation>El servidor de tu equipo</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="312"/>
        <source>Answers come from an OpenAI-compatible server your team runs. Nothing is downloaded.</source>
        <translation>Las respuestas llegan de un servidor compatible con OpenAI que gestiona tu equipo. No se descarga nada.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="322"/>
        <source>Server address</source>
        <translation>Dirección del servidor</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="325"/>
        <source>the first model the server lists</source>
        <translation>el primer modelo que ofrece el servidor</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="326"/>
        <source>Model on the server</source>
        <translation>Modelo en el servidor</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="329"/>
        <location filename="../../copilot/ui/wizard/pages.py" line="370"/>
        <source>none</source>
        <translation>ninguna</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="330"/>
        <source>API key</source>
        <translation>Clave de API</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="332"/>
        <source>the system&apos;s certificates</source>
        <translation>los certificados del sistema</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="333"/>
        <source>CA bundle</source>
        <translation>Certificados de CA</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="334"/>
        <source>Test c&amp;onnection</source>
        <translation>Probar la c&amp;onexión</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="336"/>
        <source>Connection test result</source>
        <translation>Resultado de la prueba de conexión</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="341"/>
        <source>Privacy notice</source>
        <translation>Aviso de privacidad</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="346"/>
        <source>Ser&amp;ver address:</source>
        <translation>Dirección del ser&amp;vidor:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="347"/>
        <source>&amp;Model:</source>
        <translation>&amp;Modelo:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="348"/>
        <source>API &amp;key:</source>
        <translation>C&amp;lave de API:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="350"/>
        <source>C&amp;A bundle:</source>
        <translation>Certificados de C&amp;A:</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="357"/>
        <source>The local model can be added later with Models ▸ Manage models: it then answers when the server is down or busy.</source>
        <translation>El modelo local se puede añadir más tarde con Modelos ▸ Gestionar modelos: entonces responde cuando el servidor no funciona o está ocupado.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="370"/>
        <source>saved in the system keyring</source>
        <translation>guardada en el llavero del sistema</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="371"/>
        <source>Kept in the system keyring, never in a settings file.</source>
        <translation>Se guarda en el llavero del sistema, nunca en un archivo de ajustes.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="373"/>
        <source>This system has no keyring: the API key is kept only until you close the app.</source>
        <translation>Este sistema no tiene llavero: la clave de API se guarda solo hasta que cierres la app.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="379"/>
        <source>Set by your administrator</source>
        <translation>Lo fija tu administrador</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="380"/>
        <source>Fields that cannot be changed are set by your administrator.</source>
        <translation>Los campos que no se pueden cambiar los fija tu administrador.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="383"/>
        <source>&lt;b&gt;What you write in Private Copilot is sent to this server&lt;/b&gt; to be answered; whoever runs it can read it. The status bar shows whenever text goes there.</source>
        <translation>&lt;b&gt;Lo que escribes en Private Copilot se envía a este servidor&lt;/b&gt; para responderlo; quien lo gestiona puede leerlo. La barra de estado lo indica siempre que se envía texto.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="386"/>
        <source>Privacy mode (only this computer) is on now: finishing here turns it off.</source>
        <translation>El modo privado (solo este ordenador) está activado: terminar aquí lo desactiva.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="421"/>
        <source>Enter the server&apos;s address first.</source>
        <translation>Escribe primero la dirección del servidor.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="425"/>
        <source>Connecting…</source>
        <translation>Conectando…</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="454"/>
        <source>Connected in {0:.0f} ms. Models: {1}</source>
        <translation>Conectado en {0:.0f} ms. Modelos: {1}</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="61"/>
        <source>Welcome to Private Copilot</source>
        <translation>Te damos la bienvenida a Private Copilot</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="64"/>
        <source>Private Copilot drafts email replies, summarizes meetings and polishes your writing with gpt-oss-20b, an open-weight model from OpenAI that runs entirely on this computer.</source>
        <translation>Private Copilot redacta respuestas de correo, resume reuniones y pule tus textos con gpt-oss-20b, un modelo de pesos abiertos de OpenAI que se ejecuta íntegramente en este equipo.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="67"/>
        <source>&lt;b&gt;Nothing you write leaves this computer.&lt;/b&gt; The only time Private Copilot uses the internet is to download the model, next, from Hugging Face. After that it works offline.</source>
        <translation>&lt;b&gt;Nada de lo que escribes sale de este equipo.&lt;/b&gt; Private Copilot solo se conecta a internet para descargar el modelo de Hugging Face, en el paso siguiente. Después funciona sin conexión.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="71"/>
        <source>The next pages check this computer, get the model (about 12 GB) and try it. Press Enter to go on.</source>
        <translation>En las páginas siguientes se comprueba este equipo, se obtiene el modelo (unos 12 GB) y se prueba. Pulsa Intro para continuar.</translation>
    </message>
</context>
<context>
    <name>WritingPane</name>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="33"/>
        <source>Write here. Select a part to work on it alone, or act on the whole text.</source>
        <translation>Escribe aquí. Selecciona una parte para trabajar solo con ella, o actúa sobre todo el texto.</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="35"/>
        <source>Your text</source>
        <translation>Tu texto</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="38"/>
        <source>&amp;Proofread</source>
        <translation>&amp;Corregir</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="38"/>
        <source>&amp;Rewrite</source>
        <translation>&amp;Reescribir</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="39"/>
        <source>&amp;Friendly</source>
        <translation>Cor&amp;dial</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="39"/>
        <source>Pr&amp;ofessional</source>
        <translation>&amp;Profesional</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="40"/>
        <source>&amp;Concise</source>
        <translation>C&amp;onciso</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="40"/>
        <source>&amp;Summarize</source>
        <translation>Re&amp;sumir</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="41"/>
        <source>&amp;Key points</source>
        <translation>P&amp;untos clave</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="41"/>
        <source>&amp;List</source>
        <translation>&amp;Lista</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="41"/>
        <source>&amp;Table</source>
        <translation>&amp;Tabla</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="42"/>
        <source>Co&amp;ntinue</source>
        <translation>Co&amp;ntinuar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="46"/>
        <source>Action: {0}</source>
        <translation>Acción: {0}</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="50"/>
        <source>Or tell it what to do, e.g. &quot;make it sound more confident&quot;</source>
        <translation>O dile qué hacer, p. ej., «que suene más seguro»</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="51"/>
        <source>Custom instruction</source>
        <translation>Instrucción personalizada</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="53"/>
        <source>Apply</source>
        <translation>Aplicar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="54"/>
        <source>Apply the custom instruction</source>
        <translation>Aplicar la instrucción personalizada</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="58"/>
        <source>Changes</source>
        <translation>Cambios</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="62"/>
        <source>&amp;Accept</source>
        <translation>&amp;Aceptar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="63"/>
        <source>Accept the changes</source>
        <translation>Aceptar los cambios</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="65"/>
        <source>Re&amp;ject</source>
        <translation>Rec&amp;hazar</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="66"/>
        <source>Reject the changes</source>
        <translation>Rechazar los cambios</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="68"/>
        <source>Show result</source>
        <translation>Mostrar resultado</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="70"/>
        <source>Switch between the changes and the result</source>
        <translation>Alternar entre los cambios y el resultado</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/panes/writing.py" line="163"/>
        <source>The text changed while the result was written, so it was not replaced. Copy the result instead, or run the action again.</source>
        <translation>El texto ha cambiado mientras se escribía el resultado, así que no se ha sustituido. Copia el resultado o vuelve a ejecutar la acción.</translation>
    </message>
</context>
<context>
    <name>page</name>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="38"/>
        <source>{0} h {1} min</source>
        <translation>{0} h {1} min</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="40"/>
        <source>{0} min {1} s</source>
        <translation>{0} min {1} s</translation>
    </message>
    <message>
        <location filename="../../copilot/ui/wizard/pages.py" line="41"/>
        <source>{0} s</source>
        <translation>{0} s</translation>
    </message>
</context>
</TS>
