# bash completion for sitewire: `source <(sitewire completion bash)`, or save it as
# /etc/bash_completion.d/sitewire. The suggestions come from sitewire itself (its [suggest] directive), so
# verbs, options, node and host names of the topology, lab ids and paths are those of the sitewire you run.
_sitewire() {
  local program=${COMP_WORDS[0]/#\~/$HOME}
  local line=${COMP_LINE:0:COMP_POINT}
  local rest=${COMP_LINE:COMP_POINT}
  line=${line#"${line%%[![:space:]]*}"}
  line="sitewire${line#"${COMP_WORDS[0]}"}"
  local suggestion quoted
  local -a suggestions
  mapfile -t suggestions < <("$program" "[suggest:${#line}]" "$line$rest" 2>/dev/null </dev/null)
  COMPREPLY=()
  for suggestion in "${suggestions[@]}"; do
    [[ -n $suggestion ]] || continue
    printf -v quoted '%q' "$suggestion"
    COMPREPLY+=("${quoted/#\\~/\~}")
  done
  if ((${#COMPREPLY[@]} == 1)) && [[ ${COMPREPLY[0]} == */ ]]; then
    compopt -o nospace 2>/dev/null
  fi
  return 0
}
complete -F _sitewire sitewire
